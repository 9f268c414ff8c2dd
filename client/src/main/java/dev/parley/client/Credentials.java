package dev.parley.client;

import dev.parley.proto.client.AuthTokens;
import java.time.Instant;

/**
 * The tokens of one session, as returned by register, login and refresh. {@link #toString()} leaves
 * the tokens out, so credentials can be logged.
 *
 * @param accessTokenExpiresAt {@link Instant#EPOCH} when the server did not say
 * @param refreshTokenExpiresAt {@link Instant#EPOCH} when the server did not say
 */
public record Credentials(
    long userId,
    long sessionId,
    String accessToken,
    Instant accessTokenExpiresAt,
    String refreshToken,
    Instant refreshTokenExpiresAt,
    String deviceId) {

  public static Credentials of(AuthTokens tokens) {
    return new Credentials(
        tokens.getUserId(),
        tokens.getSessionId(),
        tokens.getAccessToken(),
        Instant.ofEpochMilli(tokens.getAccessTokenExpiresAtMs()),
        tokens.getRefreshToken(),
        Instant.ofEpochMilli(tokens.getRefreshTokenExpiresAtMs()),
        tokens.getDeviceId());
  }

  public AuthTokens toProto() {
    return AuthTokens.newBuilder()
        .setUserId(userId)
        .setSessionId(sessionId)
        .setAccessToken(accessToken)
        .setAccessTokenExpiresAtMs(accessTokenExpiresAt.toEpochMilli())
        .setRefreshToken(refreshToken)
        .setRefreshTokenExpiresAtMs(refreshTokenExpiresAt.toEpochMilli())
        .setDeviceId(deviceId)
        .build();
  }

  /**
   * Whether the access token is known to be expired at {@code instant}; false when the expiry is
   * unknown.
   */
  public boolean accessTokenExpiredAt(Instant instant) {
    return !accessTokenExpiresAt.equals(Instant.EPOCH) && !instant.isBefore(accessTokenExpiresAt);
  }

  @Override
  public String toString() {
    return "Credentials[userId="
        + userId
        + ", sessionId="
        + sessionId
        + ", deviceId="
        + deviceId
        + ", accessTokenExpiresAt="
        + accessTokenExpiresAt
        + ", refreshTokenExpiresAt="
        + refreshTokenExpiresAt
        + "]";
  }
}
