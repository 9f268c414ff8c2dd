package dev.parley.cli;

import dev.parley.client.ConnectionException;
import dev.parley.client.Futures;
import dev.parley.proto.client.RevokeSessionResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cli revoke <session-id>}: revoke_session. */
@Command(
    name = "revoke",
    description = "Log out one of the account's sessions (see 'cli sessions').")
final class RevokeCommand extends CliSubcommand {
  @Parameters(paramLabel = "<session-id>", description = "The session to end; may be this one.")
  long sessionId;

  @Override
  void run(CliContext context) {
    boolean own = context.credentials().sessionId() == sessionId;
    try {
      Futures.await(context.connect().revokeSession(sessionId));
    } catch (ConnectionException e) {
      // Revoking this very session: the server may close with 4002 before the answer gets out.
      if (!own || !Failure.sessionRevoked(e)) {
        throw e;
      }
    }
    if (own) {
      context.profile().clear();
    }
    context.print(
        RevokeSessionResponse.getDefaultInstance(),
        () ->
            "revoked session "
                + sessionId
                + (own
                    ? " (this one; credentials of profile '"
                        + context.profile().name()
                        + "' deleted)"
                    : ""));
  }
}
