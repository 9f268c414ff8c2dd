package dev.parley.user.session;

import java.time.Instant;

/** The answer to a register, login or refresh: a fresh access and refresh token pair. */
public record IssuedTokens(
    long userId,
    long sessionId,
    String deviceId,
    String accessToken,
    Instant accessTokenExpiresAt,
    String refreshToken,
    Instant refreshTokenExpiresAt) {

  @Override
  public String toString() {
    return "IssuedTokens[userId=" + userId + ", sessionId=" + sessionId + "]";
  }
}
