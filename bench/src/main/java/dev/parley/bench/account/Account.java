package dev.parley.bench.account;

import dev.parley.proto.client.AuthTokens;
import org.jspecify.annotations.Nullable;

/**
 * One bench user: its identifier, its device and the tokens of that device's session. The tokens
 * change when they are refreshed (refresh tokens are single use), so they are guarded by this
 * object's lock; the identity fields never change.
 */
public final class Account {
  private final int index;
  private final String email;
  private final String deviceId;
  private long userId;
  private long sessionId;
  private @Nullable String accessToken;
  private long accessTokenExpiresAtMs;
  private @Nullable String refreshToken;
  private long refreshTokenExpiresAtMs;

  public Account(int index, String email, String deviceId) {
    this.index = index;
    this.email = email;
    this.deviceId = deviceId;
  }

  public int index() {
    return index;
  }

  public String email() {
    return email;
  }

  public String deviceId() {
    return deviceId;
  }

  public synchronized long userId() {
    return userId;
  }

  public synchronized long sessionId() {
    return sessionId;
  }

  /** The access token; empty before the first login. */
  public synchronized String accessToken() {
    return accessToken == null ? "" : accessToken;
  }

  /** The refresh token; empty before the first login. */
  public synchronized String refreshToken() {
    return refreshToken == null ? "" : refreshToken;
  }

  /**
   * Whether the access token is still valid at {@code atMs} (an authenticated connection outlives
   * it).
   */
  public synchronized boolean accessTokenValidAt(long atMs) {
    return accessToken != null && !accessToken.isEmpty() && accessTokenExpiresAtMs > atMs;
  }

  public synchronized boolean hasRefreshToken(long nowMs) {
    return refreshToken != null && !refreshToken.isEmpty() && refreshTokenExpiresAtMs > nowMs;
  }

  public synchronized void update(AuthTokens tokens) {
    userId = tokens.getUserId();
    sessionId = tokens.getSessionId();
    accessToken = tokens.getAccessToken();
    accessTokenExpiresAtMs = tokens.getAccessTokenExpiresAtMs();
    refreshToken = tokens.getRefreshToken();
    refreshTokenExpiresAtMs = tokens.getRefreshTokenExpiresAtMs();
  }

  /** The stored form (accounts.json). */
  public synchronized Stored stored() {
    return new Stored(
        index,
        email,
        deviceId,
        userId,
        sessionId,
        accessToken,
        accessTokenExpiresAtMs,
        refreshToken,
        refreshTokenExpiresAtMs);
  }

  public static Account of(Stored s) {
    Account a = new Account(s.index(), s.email(), s.deviceId());
    a.userId = s.userId();
    a.sessionId = s.sessionId();
    a.accessToken = s.accessToken();
    a.accessTokenExpiresAtMs = s.accessTokenExpiresAtMs();
    a.refreshToken = s.refreshToken();
    a.refreshTokenExpiresAtMs = s.refreshTokenExpiresAtMs();
    return a;
  }

  /** One entry of accounts.json. */
  public record Stored(
      int index,
      String email,
      String deviceId,
      long userId,
      long sessionId,
      @Nullable String accessToken,
      long accessTokenExpiresAtMs,
      @Nullable String refreshToken,
      long refreshTokenExpiresAtMs) {}
}
