package dev.parley.cli;

import dev.parley.client.Futures;
import dev.parley.proto.client.LogoutResponse;
import picocli.CommandLine.Command;

/** {@code cli logout}: ends this session and deletes its saved credentials. */
@Command(name = "logout", description = "End this session and delete its saved credentials.")
final class LogoutCommand extends CliSubcommand {
  @Override
  void run(CliContext context) {
    LogoutResponse response = Futures.await(context.connect().logout());
    // The connection clears its token store too, but on its own thread: do not return before it is
    // gone.
    context.profile().clear();
    context.print(
        response,
        () -> "logged out; credentials of profile '" + context.profile().name() + "' deleted");
  }
}
