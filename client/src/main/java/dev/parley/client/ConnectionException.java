package dev.parley.client;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A request got no usable answer: the server could not be reached, the connection dropped before
 * the response arrived, the connection is logged out or closed, or the answer could not be decoded.
 *
 * <p>Whether the server executed the request is unknown unless the message says it was never sent.
 */
public class ConnectionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient @Nullable CloseStatus closeStatus;

  public ConnectionException(String message) {
    this(message, null, null);
  }

  public ConnectionException(String message, @Nullable Throwable cause) {
    this(message, null, cause);
  }

  public ConnectionException(
      String message, @Nullable CloseStatus closeStatus, @Nullable Throwable cause) {
    super(message, cause);
    this.closeStatus = closeStatus;
  }

  /** How the WebSocket closed, when a close caused this failure. */
  public Optional<CloseStatus> closeStatus() {
    return Optional.ofNullable(closeStatus);
  }
}
