package dev.parley.push.provider.webpush;

import com.interaso.webpush.VapidKeys;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Properties;

/**
 * The server's VAPID key pair. Configured (base64url, the format {@code npx web-push
 * generate-vapid-keys} prints) in production; in development, generated at first start into {@code
 * <data-dir>/keys/vapid.keys} (mode 0600) like the project's other development keys, and reused
 * after, so browsers' subscriptions stay valid across restarts: a subscription is bound to the
 * public key it was made with.
 */
public final class VapidKeyFile {
  static final String FILE = "vapid.keys";

  private VapidKeyFile() {}

  /**
   * The configured keys if any; else, outside production, those of {@code keysDir/vapid.keys},
   * created when missing.
   *
   * @throws IllegalArgumentException if only one key is configured, or they do not form a pair
   * @throws IllegalStateException in production without configured keys
   */
  public static VapidKeys resolve(WebPushConfig config, Path keysDir, boolean production) {
    boolean hasPublic = !config.publicKey().isBlank();
    boolean hasPrivate = !config.privateKey().isBlank();
    if (hasPublic != hasPrivate) {
      throw new IllegalArgumentException(
          "push.providers.web-push.public-key and private-key go together: set both or neither");
    }
    if (hasPublic) return fromBase64Url(config.publicKey().trim(), config.privateKey().trim());
    if (production) {
      throw new IllegalStateException(
          "Web Push is enabled in production without VAPID keys: set"
              + " push.providers.web-push.public-key and private-key");
    }
    return loadOrCreate(keysDir.resolve(FILE));
  }

  /** base64url of the uncompressed public point (65 bytes) and of the private scalar (32 bytes). */
  static VapidKeys fromBase64Url(String publicKey, String privateKey) {
    try {
      return VapidKeys.fromUncompressedBytes(publicKey, privateKey);
    } catch (RuntimeException e) {
      // The library's messages may quote the key; ours never does.
      throw new IllegalArgumentException(
          "VAPID keys are not a base64url P-256 key pair (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** The public key as browsers want it for {@code applicationServerKey}: base64url, 65 bytes. */
  public static String publicKey(VapidKeys keys) {
    return base64Url(keys.getApplicationServerKey());
  }

  static String privateKey(VapidKeys keys) {
    byte[] s = keys.getPrivateKey().getS().toByteArray();
    byte[] scalar = new byte[32];
    // BigInteger is signed and minimal: strip a leading zero byte, or pad short values on the left.
    int copy = Math.min(s.length, 32);
    System.arraycopy(s, s.length - copy, scalar, 32 - copy, copy);
    return base64Url(scalar);
  }

  static VapidKeys loadOrCreate(Path file) {
    try {
      if (Files.exists(file)) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
          p.load(r);
        }
        String pub = p.getProperty("public-key", "");
        String priv = p.getProperty("private-key", "");
        if (pub.isBlank() || priv.isBlank()) {
          throw new IllegalStateException(file + " lacks public-key or private-key");
        }
        return fromBase64Url(pub.trim(), priv.trim());
      }
      VapidKeys keys = VapidKeys.generate();
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) Files.createDirectories(dir);
      Path tmp = file.resolveSibling(FILE + ".tmp");
      Files.deleteIfExists(tmp);
      try {
        // Created private, before the secret is written into it.
        Files.createFile(
            tmp,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        Files.createFile(tmp);
      }
      try (Writer w = Files.newBufferedWriter(tmp)) {
        w.write("# VAPID keys for Web Push, generated at first start (development only).\n");
        w.write("public-key=" + publicKey(keys) + "\n");
        w.write("private-key=" + privateKey(keys) + "\n");
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      return keys;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read or create VAPID keys in " + file, e);
    }
  }

  private static String base64Url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
