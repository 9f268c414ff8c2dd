package dev.parley.common.secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Development secrets, generated on first start into the data directory (mode 0600) and reused
 * after. Nothing secret is ever in the repository; production configures its secrets explicitly.
 */
public final class SecretFiles {
  private static final SecureRandom RANDOM = new SecureRandom();

  private SecretFiles() {}

  /** Returns the key stored in {@code dir/name}, creating a random one of {@code bytes} bytes. */
  public static byte[] loadOrCreate(Path dir, String name, int bytes) {
    Path file = dir.resolve(name);
    try {
      if (Files.exists(file)) {
        byte[] key = Base64.getDecoder().decode(Files.readString(file).trim());
        if (key.length < bytes)
          throw new IllegalStateException(file + " holds a key shorter than " + bytes + " bytes");
        return key;
      }
      Files.createDirectories(dir);
      byte[] key = new byte[bytes];
      RANDOM.nextBytes(key);
      Path tmp = dir.resolve(name + ".tmp");
      Files.writeString(
          tmp,
          Base64.getEncoder().encodeToString(key) + "\n",
          StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE);
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system
      }
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read or create secret " + file, e);
    }
  }

  /** Decodes a configured key (base64), insisting on a minimum length. */
  public static byte[] decode(String base64, String what, int minBytes) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not valid base64");
    }
    if (key.length < minBytes)
      throw new IllegalArgumentException(what + " must be at least " + minBytes + " bytes");
    return key;
  }
}
