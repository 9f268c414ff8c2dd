package dev.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.ClientException;
import dev.parley.client.CloseStatus;
import dev.parley.client.ConnectionException;
import dev.parley.client.RequestTimeoutException;
import dev.parley.proto.client.Error;
import dev.parley.proto.client.Error.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class FailureTest {
  @Test
  void aFailureWithoutMessageIsReportedByItsReasonAlone() {
    // e.g. CliContext wraps an IllegalArgumentException whose message is null
    Failure f =
        Failure.of(
            new CliException("BAD_SERVER", null, ExitCodes.USAGE, new IllegalArgumentException()));

    assertThat(f.line()).isEqualTo("error: BAD_SERVER");
    assertThat(f.exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void aServerErrorIsReportedByItsReason() {
    Failure f =
        Failure.of(
            new ClientException(
                Error.newBuilder()
                    .setCode(401)
                    .setReason(Reason.INVALID_CREDENTIALS)
                    .setMessage("Wrong identifier or password")
                    .build()));

    assertThat(f.line()).isEqualTo("error: INVALID_CREDENTIALS: Wrong identifier or password");
    assertThat(f.exitCode()).isEqualTo(ExitCodes.FAILED);
  }

  @Test
  void retryAfterIsRoundedUpToSeconds() {
    Failure f =
        Failure.of(
            new ClientException(
                Error.newBuilder()
                    .setCode(429)
                    .setReason(Reason.CODE_COOLDOWN)
                    .setMessage("A code was sent moments ago")
                    .setRetryAfterMs(41_001)
                    .build()));

    assertThat(f.line())
        .isEqualTo("error: CODE_COOLDOWN: A code was sent moments ago; retry after 42s");
  }

  @Test
  void theFieldAtFaultIsNamed() {
    Failure f =
        Failure.of(
            new ClientException(
                Error.newBuilder()
                    .setCode(400)
                    .setReason(Reason.INVALID_ARGUMENT)
                    .setMessage("too long")
                    .setField("display_name")
                    .build()));

    assertThat(f.line()).isEqualTo("error: INVALID_ARGUMENT: too long (field display_name)");
  }

  @Test
  void anErrorWithoutAKnownReasonFallsBackToItsCode() {
    assertThat(
            Failure.of(
                    new ClientException(
                        Error.newBuilder().setCode(502).setMessage("HTTP 502").build()))
                .line())
        .isEqualTo("error: HTTP_502: HTTP 502");
    assertThat(
            Failure.of(
                    new ClientException(
                        Error.newBuilder().setCode(409).setReasonValue(999).build()))
                .line())
        .isEqualTo("error: HTTP_409");
  }

  @Test
  void reasonsThatEndTheSessionExitWith3() {
    for (Reason reason :
        new Reason[] {
          Reason.UNAUTHENTICATED, Reason.INVALID_REFRESH_TOKEN, Reason.REFRESH_TOKEN_REUSED
        }) {
      Failure f =
          Failure.of(
              new ClientException(Error.newBuilder().setCode(401).setReason(reason).build()));
      assertThat(f.exitCode()).as(reason.name()).isEqualTo(ExitCodes.NOT_LOGGED_IN);
    }
  }

  @Test
  void localFailures() {
    assertThat(Failure.of(CliException.notLoggedIn("work")))
        .isEqualTo(
            new Failure(
                "NOT_LOGGED_IN",
                "no saved credentials in profile 'work'; run 'cli login' or 'cli register'",
                ExitCodes.NOT_LOGGED_IN));
    assertThat(Failure.of(new RequestTimeoutException("no answer")))
        .isEqualTo(new Failure("TIMEOUT", "no answer", ExitCodes.FAILED));
    assertThat(
            Failure.of(new UncheckedIOException("cannot write x", new IOException("disk full")))
                .reason())
        .isEqualTo("IO_ERROR");
    assertThat(Failure.of(new IllegalStateException("bug")).reason()).isEqualTo("INTERNAL");
  }

  @Test
  void aConnectionFailureNamesTheServer() {
    Failure f =
        Failure.of(
                new CompletionException(new ConnectionException("POST /api/v1/auth/code failed")))
            .withServer("http://localhost:8080");

    assertThat(f.line())
        .isEqualTo(
            "error: CONNECTION_FAILED: cannot reach http://localhost:8080: POST /api/v1/auth/code failed");
    assertThat(f.exitCode()).isEqualTo(ExitCodes.FAILED);
  }

  @Test
  void aCloseForARevokedSessionMeansLoggedOut() {
    Failure f =
        Failure.of(
            new ConnectionException(
                "lost", new CloseStatus(CloseStatus.SESSION_REVOKED, "session revoked"), null));

    assertThat(f.reason()).isEqualTo("LOGGED_OUT");
    assertThat(f.exitCode()).isEqualTo(ExitCodes.NOT_LOGGED_IN);
  }
}
