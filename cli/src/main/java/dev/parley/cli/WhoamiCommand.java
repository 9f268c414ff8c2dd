package dev.parley.cli;

import dev.parley.client.Connection;
import dev.parley.client.Futures;
import dev.parley.proto.client.Account;
import dev.parley.proto.client.AuthenticateResponse;
import picocli.CommandLine.Command;

/** {@code cli whoami}: get_account. */
@Command(name = "whoami", description = "Show the account this profile is logged in to.")
final class WhoamiCommand extends CliSubcommand {
  @Override
  void run(CliContext context) {
    Connection connection = context.connect();
    Account account = Futures.await(connection.getAccount()).getAccount();
    long sessionId = connection.session().map(AuthenticateResponse::getSessionId).orElse(0L);
    context.print(account, () -> context.format().account(account, sessionId));
  }
}
