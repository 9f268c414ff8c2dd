package dev.parley.cli;

import dev.parley.client.ClientException;
import dev.parley.client.Credentials;
import picocli.CommandLine.Command;

/**
 * {@code cli refresh}: trades the saved refresh token for new tokens, over HTTP, and saves them.
 */
@Command(
    name = "refresh",
    description = "Refresh the saved tokens now (commands also do it when needed).")
final class RefreshCommand extends CliSubcommand {
  @Override
  void run(CliContext context) {
    Credentials current = context.credentials();
    Credentials refreshed;
    try {
      refreshed = context.client().auth().refresh(current.refreshToken());
    } catch (ClientException e) {
      if (e.code() == 401) {
        context
            .profile()
            .clear(); // as the SDK does: a rejected refresh token means the session is gone
      }
      throw e;
    }
    context.profile().save(refreshed);
    context.print(
        LoginCommand.withoutSecrets(refreshed), () -> context.format().refreshed(refreshed));
  }
}
