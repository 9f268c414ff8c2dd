package dev.parley.user.push;

import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;

/** Keys of the shape a browser's PushSubscription has, freshly generated. */
public final class TestSubscriptionKeys {
  private TestSubscriptionKeys() {}

  /** A 16-byte auth secret, base64url without padding. */
  public static final String AUTH =
      Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[16]);

  /** The uncompressed point of a fresh P-256 public key (65 bytes), base64url without padding. */
  public static String p256dh() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      ECPublicKey key = (ECPublicKey) generator.generateKeyPair().getPublic();
      byte[] point = new byte[65];
      point[0] = 4;
      copy(key.getW().getAffineX().toByteArray(), point, 1);
      copy(key.getW().getAffineY().toByteArray(), point, 33);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(point);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A BigInteger's bytes (sign byte or leading zeros dropped) right-aligned in 32 bytes. */
  private static void copy(byte[] unsigned, byte[] into, int at) {
    byte[] trimmed =
        unsigned.length > 32
            ? Arrays.copyOfRange(unsigned, unsigned.length - 32, unsigned.length)
            : unsigned;
    System.arraycopy(trimmed, 0, into, at + 32 - trimmed.length, trimmed.length);
  }
}
