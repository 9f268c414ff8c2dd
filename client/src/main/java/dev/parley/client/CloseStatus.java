package dev.parley.client;

/**
 * How a WebSocket ended: the close code and reason from the Close frame, or {@link #ABNORMAL}
 * (1006, which never travels on the wire) when the connection failed or was dropped without one.
 */
public record CloseStatus(int code, String reason) {
  /**
   * Normal closure: what the server sends after answering {@code logout}, and what this client
   * sends when it closes. Alone (without a logout answer) it does not end the session.
   */
  public static final int NORMAL = 1000;

  /** The server is going away, or the connection was idle too long. Reconnect. */
  public static final int GOING_AWAY = 1001;

  /** No Close frame: the connection failed, was aborted, or the handshake did not succeed. */
  public static final int ABNORMAL = 1006;

  /** A frame was larger than the peer accepts. */
  public static final int TOO_BIG = 1009;

  /** Authentication failed or did not happen in time. */
  public static final int AUTHENTICATION_FAILED = 4001;

  /** The session was revoked (remote logout, refresh token reuse): do not reconnect. */
  public static final int SESSION_REVOKED = 4002;

  /** The client read too slowly; reconnect. */
  public static final int TOO_SLOW = 4003;

  /** The client sent too many bad frames. */
  public static final int TOO_MANY_BAD_FRAMES = 4004;

  static CloseStatus abnormal(String reason) {
    return new CloseStatus(ABNORMAL, reason);
  }

  static CloseStatus abnormal(Throwable cause) {
    return abnormal(String.valueOf(Futures.unwrap(cause)));
  }

  @Override
  public String toString() {
    return reason.isEmpty() ? Integer.toString(code) : code + " " + reason;
  }
}
