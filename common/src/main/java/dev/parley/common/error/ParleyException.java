package dev.parley.common.error;

import dev.parley.proto.client.Error;
import dev.parley.proto.client.Error.Reason;
import java.time.Duration;
import java.util.Objects;

/**
 * A failure the client should hear about, with a stable reason. Domain code throws it; the edges
 * (gRPC interceptor, gateway, HTTP handler) turn it into the wire {@link Error}. Anything else that
 * escapes a service becomes {@code INTERNAL} and is logged.
 */
public class ParleyException extends RuntimeException {
  private final Reason reason;
  private final String field;
  private final Duration retryAfter;

  public ParleyException(Reason reason, String message) {
    this(reason, message, "", Duration.ZERO);
  }

  public ParleyException(Reason reason, String message, String field, Duration retryAfter) {
    super(message, null, false, false);
    this.reason = reason;
    this.field = field;
    this.retryAfter = retryAfter;
  }

  public static ParleyException invalid(String field, String message) {
    return new ParleyException(Reason.INVALID_ARGUMENT, message, field, Duration.ZERO);
  }

  public static ParleyException rateLimited(Reason reason, String message, Duration retryAfter) {
    return new ParleyException(reason, message, "", retryAfter);
  }

  public Reason reason() {
    return reason;
  }

  public Error toError() {
    return ErrorCodes.error(
        reason, Objects.requireNonNullElse(getMessage(), ""), field, retryAfter);
  }
}
