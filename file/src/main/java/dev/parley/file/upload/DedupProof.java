package dev.parley.file.upload;

import dev.parley.file.db.UploadRow.Challenge;
import dev.parley.file.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * Proof of possession for dedup (design.md 11.4): knowing a hash must not give anyone the file. The
 * server picks a nonce and a byte range of the stored content; the client answers {@code
 * SHA-256(nonce || content[offset, offset + length))}, which only a holder of those bytes can
 * compute. The nonce makes answers unusable for any other challenge.
 */
final class DedupProof {
  /** Range length: large enough that the bytes cannot be guessed, small enough to read quickly. */
  static final long RANGE = 64 * 1024;

  private final RandomGenerator random;

  DedupProof(RandomGenerator random) {
    this.random = random;
  }

  static DedupProof secure() {
    return new DedupProof(new SecureRandom());
  }

  Challenge challenge(long size) {
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    long length = Math.min(size, RANGE);
    long offset = size == length ? 0 : random.nextLong(size - length + 1);
    return new Challenge(nonce, offset, length);
  }

  /** Whether {@code proof} answers the challenge for the object stored under {@code key}. */
  static boolean verify(ObjectStore store, String key, Challenge c, byte[] proof) {
    MessageDigest sha = sha256();
    sha.update(c.nonce());
    try (InputStream in = store.getRange(key, c.offset(), c.length())) {
      byte[] buffer = new byte[8192];
      long total = 0;
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
        total += n;
      }
      if (total != c.length()) return false;
    } catch (IOException e) {
      throw new UncheckedIOException("Reading the dedup range failed", e);
    }
    return MessageDigest.isEqual(sha.digest(), proof);
  }

  /**
   * What a client computes: the answer for bytes it holds (tests and the SDK use the same rule).
   */
  static byte[] answer(Challenge c, byte[] content) {
    MessageDigest sha = sha256();
    sha.update(c.nonce());
    sha.update(content, (int) c.offset(), (int) c.length());
    return sha.digest();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
