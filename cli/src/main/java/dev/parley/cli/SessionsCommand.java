package dev.parley.cli;

import dev.parley.client.Futures;
import dev.parley.proto.client.ListSessionsResponse;
import picocli.CommandLine.Command;

/** {@code cli sessions}: list_sessions. */
@Command(name = "sessions", description = "List the account's sessions; '*' marks this one.")
final class SessionsCommand extends CliSubcommand {
  @Override
  void run(CliContext context) {
    ListSessionsResponse sessions = Futures.await(context.connect().listSessions());
    context.print(sessions, () -> context.format().sessions(sessions.getSessionsList()));
  }
}
