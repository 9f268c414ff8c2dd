package dev.parley.gateway.ws;

/**
 * Why the server closed a WebSocket. The numbers are part of the protocol (docs/protocol.md);
 * clients decide from them whether and when to reconnect.
 */
public enum CloseCode {
  /** After a successful {@code logout}: do not reconnect with the same tokens. */
  LOGGED_OUT(1000, "logged out"),
  /** Server shutdown (after {@code go_away}) or no inbound traffic for idle-timeout: reconnect. */
  GOING_AWAY(1001, "going away"),
  /** The client broke the WebSocket protocol (unmasked frame, bad fragmentation, ...). */
  PROTOCOL_ERROR(1002, "protocol error"),
  /** A close frame whose reason is not valid UTF-8. */
  INVALID_PAYLOAD(1007, "invalid payload data"),
  /** A frame or fragmented message larger than max-frame-bytes. */
  MESSAGE_TOO_BIG(1009, "frame too big"),
  /** A bug on our side; reconnect with back-off. */
  INTERNAL_ERROR(1011, "internal error"),
  /**
   * {@code authenticate} failed or did not arrive within auth-timeout: get a fresh access token.
   */
  AUTHENTICATION_FAILED(4001, "authentication failed"),
  /** The session was logged out elsewhere or revoked: sign in again. */
  SESSION_REVOKED(4002, "session revoked"),
  /** The client did not read fast enough (outbound-limit-bytes queued): reconnect and sync. */
  TOO_SLOW(4003, "too slow"),
  /** Ten undecodable frames in a row. */
  TOO_MANY_BAD_FRAMES(4004, "too many bad frames");

  private final int code;
  private final String defaultReason;

  CloseCode(int code, String defaultReason) {
    this.code = code;
    this.defaultReason = defaultReason;
  }

  /**
   * The close code for a frame Netty's decoder refused with {@code status}: too big, invalid data,
   * and otherwise a protocol error.
   */
  public static CloseCode forDecoderStatus(int status) {
    return switch (status) {
      case 1009 -> MESSAGE_TOO_BIG;
      case 1007 -> INVALID_PAYLOAD;
      default -> PROTOCOL_ERROR;
    };
  }

  public int code() {
    return code;
  }

  public String defaultReason() {
    return defaultReason;
  }
}
