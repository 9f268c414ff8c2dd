package dev.parley.cli;

import dev.parley.client.ClientException;
import dev.parley.client.CloseStatus;
import dev.parley.client.ConnectionException;
import dev.parley.client.Futures;
import dev.parley.client.RequestTimeoutException;
import dev.parley.client.TransferException;
import dev.parley.proto.client.Error.Reason;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How the CLI reports a failure: one line, {@code error: REASON: message}, on stderr, and an exit
 * code.
 *
 * <p>REASON is the server's {@code Error.Reason} name when the server answered (so scripts can
 * branch on the same names as the protocol), {@code HTTP_<code>} for an error without a reason this
 * client knows, or one of the CLI's own: {@code NOT_LOGGED_IN}, {@code LOGGED_OUT}, {@code
 * TIMEOUT}, {@code CONNECTION_FAILED}, {@code TRANSFER_FAILED} (the file store refused or failed a
 * presigned upload or download), {@code IO_ERROR}, {@code INTERRUPTED}, {@code INTERNAL}.
 */
record Failure(String reason, String message, int exitCode) {
  /** Server answers that mean the session is gone: sign in again. */
  private static final Set<Reason> SESSION_GONE =
      Set.of(Reason.UNAUTHENTICATED, Reason.INVALID_REFRESH_TOKEN, Reason.REFRESH_TOKEN_REUSED);

  static Failure of(Throwable thrown) {
    Throwable t = Futures.unwrap(thrown);
    return switch (t) {
      case CliException e -> new Failure(e.reason(), text(e), e.exitCode());
      case ClientException e -> of(e);
      case RequestTimeoutException e -> new Failure("TIMEOUT", text(e), ExitCodes.FAILED);
      case ConnectionException e when sessionRevoked(e) ->
          new Failure("LOGGED_OUT", text(e), ExitCodes.NOT_LOGGED_IN);
      case ConnectionException e -> new Failure("CONNECTION_FAILED", text(e), ExitCodes.FAILED);
      case TransferException e -> new Failure("TRANSFER_FAILED", text(e), ExitCodes.FAILED);
      case UncheckedIOException e -> new Failure("IO_ERROR", text(e), ExitCodes.FAILED);
      default -> new Failure("INTERNAL", String.valueOf(t), ExitCodes.FAILED);
    };
  }

  /**
   * A throwable's message; "" for none (a message-less exception must not break {@link #line()}).
   */
  private static String text(Throwable t) {
    return Objects.requireNonNullElse(t.getMessage(), "");
  }

  private static Failure of(ClientException e) {
    dev.parley.proto.client.Error error = e.error();
    Reason reason = error.getReason();
    boolean known = reason != Reason.REASON_UNSPECIFIED && reason != Reason.UNRECOGNIZED;
    StringBuilder message = new StringBuilder(error.getMessage());
    if (!error.getField().isEmpty()) {
      message
          .append(message.isEmpty() ? "" : " ")
          .append("(field ")
          .append(error.getField())
          .append(')');
    }
    e.retryAfter()
        .ifPresent(
            retry ->
                message
                    .append(message.isEmpty() ? "" : "; ")
                    .append("retry after ")
                    .append(seconds(retry))
                    .append('s'));
    return new Failure(
        known ? reason.name() : "HTTP_" + error.getCode(),
        message.toString(),
        known && SESSION_GONE.contains(reason) ? ExitCodes.NOT_LOGGED_IN : ExitCodes.FAILED);
  }

  /** Whether the server closed the connection because the session was revoked (close 4002). */
  static boolean sessionRevoked(ConnectionException e) {
    return e.closeStatus().map(CloseStatus::code).orElse(0) == CloseStatus.SESSION_REVOKED;
  }

  /** Whole seconds, rounded up: "retry after 0s" would be wrong. */
  private static long seconds(Duration d) {
    return (d.toMillis() + 999) / 1000;
  }

  /** Adds the server to a CONNECTION_FAILED message, which the SDK's exceptions do not name. */
  Failure withServer(String server) {
    return reason.equals("CONNECTION_FAILED")
        ? new Failure(reason, "cannot reach " + server + ": " + message, exitCode)
        : this;
  }

  /** The line to print on stderr. */
  String line() {
    return message.isEmpty() ? "error: " + reason : "error: " + reason + ": " + message;
  }
}
