package dev.parley.file.upload;

import dev.parley.file.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.Arrays;

/** One streaming read of a stored object: its SHA-256, its length and its first bytes. */
record Verification(byte[] sha256, long length, byte[] head) {

  /**
   * @param keeper touched on every read, so that a long read keeps the completion's lease
   */
  static Verification read(ObjectStore store, String key, LeaseKeeper keeper) {
    MessageDigest sha = DedupProof.sha256();
    byte[] head = new byte[TypeSniffer.HEAD_BYTES];
    int headLength = 0;
    long length = 0;
    try (InputStream in = keeper.reading(store.get(key))) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
        if (headLength < head.length) {
          int take = Math.min(n, head.length - headLength);
          System.arraycopy(buffer, 0, head, headLength, take);
          headLength += take;
        }
        length += n;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Reading " + key + " for verification failed", e);
    }
    return new Verification(sha.digest(), length, Arrays.copyOf(head, headLength));
  }
}
