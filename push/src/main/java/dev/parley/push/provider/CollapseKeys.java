package dev.parley.push.provider;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Collapse keys shaped to what each platform accepts: APNs takes an {@code apns-collapse-id} of at
 * most 64 bytes, Web Push a {@code Topic} of at most 32 characters of the base64url alphabet. A key
 * that does not fit is replaced by (a prefix of) the base64url SHA-256 of it: still the same for
 * the same key, which is all a collapse key must be.
 */
public final class CollapseKeys {
  private CollapseKeys() {}

  /** The key itself when it has at most {@code maxBytes} UTF-8 bytes, else its hash. */
  public static String fitting(String key, int maxBytes) {
    if (key.getBytes(StandardCharsets.UTF_8).length <= maxBytes) return key;
    return hashed(key, maxBytes);
  }

  /** The first {@code length} (at most 43) characters of the key's base64url SHA-256. */
  public static String hashed(String key, int length) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
      return encoded.substring(0, Math.min(length, encoded.length()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }
}
