package dev.parley.testkit.push;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a browser holds for one push subscription: its P-256 key pair and auth secret. It decrypts
 * what the server sent as the browser does, per RFC 8291 (aes128gcm, RFC 8188), with JDK crypto
 * only, written from the RFC rather than from the library under test.
 */
public final class BrowserSubscription {
  private final KeyPair keys;
  private final byte[] auth = new byte[16];
  private final byte[] publicBytes;

  public BrowserSubscription() {
    keys = P256.generate();
    new SecureRandom().nextBytes(auth);
    publicBytes = uncompressed((ECPublicKey) keys.getPublic());
  }

  /** The subscription's public key ({@code keys.p256dh} of PushSubscription.toJSON()). */
  public String p256dh() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(publicBytes);
  }

  /** The subscription's auth secret ({@code keys.auth}). */
  public String auth() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(auth);
  }

  /** The plaintext of an aes128gcm body with one record, as RFC 8291 section 3 and 4 derive it. */
  public String decrypt(byte[] body) throws GeneralSecurityException {
    ByteBuffer in = ByteBuffer.wrap(body);
    byte[] salt = new byte[16];
    in.get(salt);
    int recordSize = in.getInt();
    int idLength = in.get() & 0xff;
    if (idLength != 65)
      throw new GeneralSecurityException("keyid is not a P-256 point: " + idLength);
    byte[] serverPublic = new byte[65];
    in.get(serverPublic);
    byte[] ciphertext = new byte[in.remaining()];
    in.get(ciphertext);
    if (ciphertext.length > recordSize) throw new GeneralSecurityException("record > rs");

    KeyAgreement ecdh = KeyAgreement.getInstance("ECDH");
    ecdh.init(keys.getPrivate());
    ecdh.doPhase(publicKey(serverPublic), true);
    byte[] sharedSecret = ecdh.generateSecret();

    byte[] keyInfo =
        concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), publicBytes, serverPublic);
    byte[] ikm = hkdf(auth, sharedSecret, keyInfo, 32);
    byte[] cek =
        hkdf(salt, ikm, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
    byte[] nonce =
        hkdf(salt, ikm, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);

    Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
    aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
    byte[] padded = aes.doFinal(ciphertext);
    // Padding: the last record ends with a 0x02 delimiter followed by zero or more zero bytes.
    int end = padded.length - 1;
    while (end >= 0 && padded[end] == 0) end--;
    if (end < 0 || padded[end] != 2) throw new GeneralSecurityException("no last-record delimiter");
    return new String(Arrays.copyOf(padded, end), StandardCharsets.UTF_8);
  }

  /** HKDF-SHA256 (RFC 5869) for outputs of one block, which is all RFC 8291 needs. */
  private static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length)
      throws GeneralSecurityException {
    byte[] prk = hmac(salt, ikm);
    return Arrays.copyOf(hmac(prk, concat(info, new byte[] {1})), length);
  }

  private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data);
  }

  public static ECPublicKey publicKey(byte[] uncompressed) throws GeneralSecurityException {
    AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
    p.init(new ECGenParameterSpec("secp256r1"));
    ECParameterSpec curve = p.getParameterSpec(ECParameterSpec.class);
    ECPoint w =
        new ECPoint(
            new BigInteger(1, Arrays.copyOfRange(uncompressed, 1, 33)),
            new BigInteger(1, Arrays.copyOfRange(uncompressed, 33, 65)));
    return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, curve));
  }

  public static byte[] uncompressed(ECPublicKey key) {
    byte[] out = new byte[65];
    out[0] = 4;
    unsigned32(key.getW().getAffineX(), out, 1);
    unsigned32(key.getW().getAffineY(), out, 33);
    return out;
  }

  private static void unsigned32(BigInteger n, byte[] out, int at) {
    byte[] b = n.toByteArray();
    int copy = Math.min(b.length, 32);
    System.arraycopy(b, b.length - copy, out, at + 32 - copy, copy);
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] p : parts) length += p.length;
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
