package dev.parley.msg.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts entry content at rest with AES-256-GCM.
 *
 * <p>Stored form: 12-byte random nonce followed by ciphertext and 16-byte tag. The associated data
 * is the row's (conversation id, seq), so a ciphertext moved to another row does not decrypt. Each
 * row records the id of the key that encrypted it; rotation = configure a new key and make it
 * active: new rows use it, old rows keep decrypting with theirs.
 *
 * <p>Copies of content kept outside the table (the recent-entries cache in Redis) are encrypted the
 * same way through {@link #encrypt(byte[], byte[])} with associated data of their own, which never
 * has the 16 bytes of a row's, so a cached ciphertext does not decrypt as a row and vice versa.
 */
public final class ContentCipher {
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final Map<Integer, SecretKey> keys;
  private final int activeKeyId;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param keys key id to 32-byte key; {@code activeKeyId} must be among them
   */
  public ContentCipher(Map<Integer, byte[]> keys, int activeKeyId) {
    if (keys.isEmpty()) throw new IllegalArgumentException("at least one content key is needed");
    TreeMap<Integer, SecretKey> m = new TreeMap<>();
    keys.forEach(
        (id, key) -> {
          if (id < 1 || id > Short.MAX_VALUE)
            throw new IllegalArgumentException("content key id must be 1..32767: " + id);
          if (key.length != 32)
            throw new IllegalArgumentException("content key " + id + " must be 32 bytes");
          m.put(id, new SecretKeySpec(key, "AES"));
        });
    if (!m.containsKey(activeKeyId))
      throw new IllegalArgumentException(
          "active content key " + activeKeyId + " is not configured");
    this.keys = Map.copyOf(m);
    this.activeKeyId = activeKeyId;
  }

  public int activeKeyId() {
    return activeKeyId;
  }

  /** The ids of every configured key, ascending. */
  public Set<Integer> keyIds() {
    return new TreeSet<>(keys.keySet());
  }

  /**
   * A key for another purpose derived from content key {@code keyId}: HMAC-SHA256 of {@code label}
   * under it. Rotating content keys rotates what is derived from them (the search index, design.md
   * 14.2).
   */
  public byte[] derive(int keyId, String label) {
    SecretKey key = keys.get(keyId);
    if (key == null) throw new IllegalArgumentException("unknown content key " + keyId);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
      return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing", e);
    }
  }

  public byte[] encrypt(byte[] plaintext, long conversationId, long seq) {
    return encrypt(plaintext, aad(conversationId, seq));
  }

  /**
   * @throws IllegalStateException when the key is unknown or the data was tampered with
   */
  public byte[] decrypt(int keyId, byte[] stored, long conversationId, long seq) {
    try {
      return open(keyId, stored, aad(conversationId, seq));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "entry " + conversationId + "/" + seq + " does not decrypt", e);
    }
  }

  /**
   * Encrypts under the active key, bound to {@code associatedData}; the stored form as for rows.
   */
  public byte[] encrypt(byte[] plaintext, byte[] associatedData) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(associatedData);
      byte[] sealed = c.doFinal(plaintext);
      return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  /**
   * @throws IllegalStateException when the key is unknown or the data does not decrypt under {@code
   *     associatedData}
   */
  public byte[] decrypt(int keyId, byte[] stored, byte[] associatedData) {
    try {
      return open(keyId, stored, associatedData);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("content does not decrypt", e);
    }
  }

  private byte[] open(int keyId, byte[] stored, byte[] associatedData)
      throws GeneralSecurityException {
    SecretKey key = keys.get(keyId);
    if (key == null)
      throw new IllegalStateException(
          "content key " + keyId + " is not configured: cannot read old rows");
    if (stored.length < NONCE_BYTES) throw new GeneralSecurityException("shorter than a nonce");
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 0, NONCE_BYTES));
    c.updateAAD(associatedData);
    return c.doFinal(stored, NONCE_BYTES, stored.length - NONCE_BYTES);
  }

  private static byte[] aad(long conversationId, long seq) {
    return ByteBuffer.allocate(16).putLong(conversationId).putLong(seq).array();
  }
}
