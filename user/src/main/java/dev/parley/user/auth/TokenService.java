package dev.parley.user.auth;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * Makes and checks tokens. Both kinds use only URL-safe characters (base64url without padding).
 *
 * <p><b>Access token</b>: {@code base64url(payload || mac)}, 76 characters, where payload is 25
 * bytes: version (1 byte, currently 1), session id, user id, expiry in epoch milliseconds (8 bytes
 * each, big endian), and mac = HMAC-SHA256(access key, payload). It is self-contained so the
 * signature and expiry can be checked without storage; revocation is checked separately against the
 * session table. The MAC is compared in constant time. The version byte leaves room for a key id
 * when keys rotate.
 *
 * <p><b>Refresh token</b>: 32 random bytes (256 bits), 43 characters. Opaque: only its SHA-256 is
 * stored. A plain hash (no key) suffices because the token has full entropy and cannot be guessed
 * from its hash. The first token of a session is random; each rotation's successor is {@code
 * base64url(HMAC-SHA256(successor key, predecessor))}, as unguessable without the key, and
 * recomputable from the predecessor: that is what lets a refresh repeated within the reuse window
 * get the same successor back without the server storing any token (see SessionManager).
 */
public final class TokenService {
  public static final int ACCESS_TOKEN_LENGTH = 76;
  private static final byte VERSION = 1;
  private static final int PAYLOAD_BYTES = 1 + 8 + 8 + 8;
  private static final int MAC_BYTES = 32;
  private static final int REFRESH_BYTES = 32;
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final byte[] accessKey;
  private final byte[] successorKey;
  private final Clock clock;
  private final Duration accessTtl;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param accessKey the key derived for access tokens ({@link KeyDerivation})
   */
  public TokenService(byte[] accessKey, Clock clock, Duration accessTtl) {
    this.accessKey = accessKey.clone();
    this.successorKey = KeyDerivation.derive(accessKey, "parley refresh token successor");
    this.clock = clock;
    this.accessTtl = accessTtl;
  }

  public record AccessToken(String token, Instant expiresAt) {}

  /** What a valid access token says. */
  public record AccessClaims(long sessionId, long userId, Instant expiresAt) {}

  public AccessToken issueAccess(long sessionId, long userId) {
    Instant expiresAt = clock.instant().plus(accessTtl);
    ByteBuffer b = ByteBuffer.allocate(PAYLOAD_BYTES + MAC_BYTES);
    b.put(VERSION).putLong(sessionId).putLong(userId).putLong(expiresAt.toEpochMilli());
    byte[] payload = Arrays.copyOf(b.array(), PAYLOAD_BYTES);
    b.put(KeyDerivation.hmacSha256(accessKey, payload));
    return new AccessToken(
        ENCODER.encodeToString(b.array()), Instant.ofEpochMilli(expiresAt.toEpochMilli()));
  }

  /** The claims of a well-formed, correctly signed, unexpired token; empty for anything else. */
  public Optional<AccessClaims> verifyAccess(String token) {
    if (token == null || token.length() != ACCESS_TOKEN_LENGTH) return Optional.empty();
    byte[] raw;
    try {
      raw = DECODER.decode(token);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (raw.length != PAYLOAD_BYTES + MAC_BYTES) return Optional.empty();
    byte[] payload = Arrays.copyOf(raw, PAYLOAD_BYTES);
    byte[] mac = Arrays.copyOfRange(raw, PAYLOAD_BYTES, raw.length);
    if (!MessageDigest.isEqual(mac, KeyDerivation.hmacSha256(accessKey, payload)))
      return Optional.empty();
    ByteBuffer b = ByteBuffer.wrap(payload);
    if (b.get() != VERSION) return Optional.empty();
    long sessionId = b.getLong();
    long userId = b.getLong();
    Instant expiresAt = Instant.ofEpochMilli(b.getLong());
    if (!clock.instant().isBefore(expiresAt)) return Optional.empty();
    return Optional.of(new AccessClaims(sessionId, userId, expiresAt));
  }

  public String newRefreshToken() {
    byte[] bytes = new byte[REFRESH_BYTES];
    random.nextBytes(bytes);
    return ENCODER.encodeToString(bytes);
  }

  /** The refresh token that replaces {@code token} when it is rotated; the same every time. */
  public String successorRefreshToken(String token) {
    return ENCODER.encodeToString(
        KeyDerivation.hmacSha256(
            successorKey, token.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
  }

  public static byte[] refreshTokenHash(String token) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(token.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
