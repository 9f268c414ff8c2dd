package dev.parley.msg.search;

import dev.parley.msg.crypto.ContentCipher;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tokens to the numbers stored in msg.search_docs (design.md 14.2): the first 8 bytes of
 * HMAC-SHA256 under a search key derived from each content key, so the index holds no text and
 * tokens cannot be recomputed without the key. 64 bits make a collision between two real tokens
 * improbable, and the query's check of the decrypted text makes one harmless.
 */
public final class TokenHasher {
  static final String LABEL = "parley/search-tokens/v1";

  private final Map<Integer, SecretKeySpec> keys = new HashMap<>();
  private final int activeKeyId;

  public TokenHasher(ContentCipher cipher) {
    for (int id : cipher.keyIds())
      keys.put(id, new SecretKeySpec(cipher.derive(id, LABEL), "HmacSHA256"));
    this.activeKeyId = cipher.activeKeyId();
  }

  public int activeKeyId() {
    return activeKeyId;
  }

  public Set<Integer> keyIds() {
    return keys.keySet();
  }

  /** The tokens hashed under search key {@code keyId}. */
  public long[] hash(int keyId, Collection<String> tokens) {
    SecretKeySpec key = keys.get(keyId);
    if (key == null) throw new IllegalArgumentException("unknown key " + keyId);
    Mac mac;
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing", e);
    }
    long[] out = new long[tokens.size()];
    int i = 0;
    for (String t : tokens)
      out[i++] = ByteBuffer.wrap(mac.doFinal(t.getBytes(StandardCharsets.UTF_8))).getLong();
    return out;
  }
}
