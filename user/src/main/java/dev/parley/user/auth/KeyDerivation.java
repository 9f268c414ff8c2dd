package dev.parley.user.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Derives one key per purpose from the configured master key (HMAC-SHA256 of a purpose label, the
 * HKDF "expand" step for one block). The access-token key and the verification-code key thus
 * differ, yet every instance of a cluster derives the same ones from the shared {@code
 * user.token-key}.
 */
public final class KeyDerivation {
  private KeyDerivation() {}

  public static byte[] derive(byte[] masterKey, String purpose) {
    return hmacSha256(masterKey, (purpose + "\u0001").getBytes(StandardCharsets.UTF_8));
  }

  static byte[] hmacSha256(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
