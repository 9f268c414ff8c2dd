package dev.parley.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;

/**
 * The content of an upload, read by ranges: a part of a multipart upload, the range of a dedup
 * challenge, or the whole for its SHA-256. A file is read again for each range rather than held in
 * memory, so a 2 GB upload costs one part's worth of memory.
 */
public interface UploadSource {
  /** A file on disk; it must not change until the upload is complete. */
  static UploadSource of(Path file) {
    return new FileSource(Objects.requireNonNull(file, "file"));
  }

  /** Bytes in memory (not copied: do not change them until the upload is complete). */
  static UploadSource of(byte[] content) {
    return new BytesSource(Objects.requireNonNull(content, "content"));
  }

  long size();

  /** {@code length} bytes from {@code offset}; both within {@link #size()}. */
  byte[] read(long offset, int length);

  /** SHA-256 of the whole content, read in chunks of 1 MiB. */
  default byte[] sha256() {
    MessageDigest sha = sha256Digest();
    long size = size();
    for (long offset = 0; offset < size; ) {
      int length = (int) Math.min(1 << 20, size - offset);
      sha.update(read(offset, length));
      offset += length;
    }
    return sha.digest();
  }

  static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Reads the file anew for each range: the caller may read ranges from several threads. */
  record FileSource(Path file) implements UploadSource {
    @Override
    public long size() {
      try {
        return java.nio.file.Files.size(file);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + file, e);
      }
    }

    @Override
    public byte[] read(long offset, int length) {
      ByteBuffer buffer = ByteBuffer.allocate(length);
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        while (buffer.hasRemaining()) {
          if (channel.read(buffer, offset + buffer.position()) < 0) {
            throw new IOException(file + " ended before " + (offset + length) + " bytes");
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + file, e);
      }
      return buffer.array();
    }
  }

  record BytesSource(byte[] content) implements UploadSource {
    @Override
    public long size() {
      return content.length;
    }

    @Override
    public byte[] read(long offset, int length) {
      return Arrays.copyOfRange(content, Math.toIntExact(offset), Math.toIntExact(offset + length));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof BytesSource other && Arrays.equals(content, other.content);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(content);
    }

    @Override
    public String toString() {
      return "BytesSource[" + content.length + " bytes]";
    }
  }
}
