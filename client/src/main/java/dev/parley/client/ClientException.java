package dev.parley.client;

import java.time.Duration;
import java.util.Optional;

/**
 * The server answered a request with an error: a WebSocket {@code Response} with {@code error} set,
 * or an HTTP call with a non-2xx status. {@link #error()} is the wire error; branch on {@link
 * #reason()}, and fall back to {@link #code()} (HTTP status semantics) for a reason this client
 * does not know.
 */
public class ClientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient dev.parley.proto.client.Error error;

  public ClientException(dev.parley.proto.client.Error error) {
    super(describe(error));
    this.error = error;
  }

  /** The error as the server sent it. */
  public dev.parley.proto.client.Error error() {
    return error;
  }

  /** The machine-readable reason; {@code UNRECOGNIZED} for one newer than this client. */
  public dev.parley.proto.client.Error.Reason reason() {
    return error.getReason();
  }

  /** The broad class, with HTTP status semantics (400, 401, 403, 404, 409, 413, 429, 500, 503). */
  public int code() {
    return error.getCode();
  }

  /**
   * The earliest moment (from when the error was sent) at which a retry can succeed, if the server
   * said.
   */
  public Optional<Duration> retryAfter() {
    return error.getRetryAfterMs() == 0
        ? Optional.empty()
        : Optional.of(Duration.ofMillis(Integer.toUnsignedLong(error.getRetryAfterMs())));
  }

  private static String describe(dev.parley.proto.client.Error error) {
    StringBuilder s =
        new StringBuilder()
            .append(error.getReason())
            .append(" (")
            .append(error.getCode())
            .append(')');
    if (!error.getMessage().isEmpty()) {
      s.append(": ").append(error.getMessage());
    }
    if (!error.getField().isEmpty()) {
      s.append(" [field ").append(error.getField()).append(']');
    }
    if (error.getRetryAfterMs() != 0) {
      s.append(" [retry after ")
          .append(Integer.toUnsignedLong(error.getRetryAfterMs()))
          .append(" ms]");
    }
    return s.toString();
  }
}
