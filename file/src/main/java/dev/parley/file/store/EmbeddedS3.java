package dev.parley.file.store;

import dev.parley.common.secret.SecretFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.CrossOriginResourceSharing;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.middleware.EncryptedBlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single node's S3: s3proxy in this JVM, its filesystem back end under the data directory,
 * bound to one address (127.0.0.1 by default), speaking SigV4 with an access key and secret
 * generated into the keys directory at first start. So {@code ./parley} needs nothing but a JDK,
 * and the file service talks to it through the very S3 client it uses against MinIO or AWS.
 *
 * <p>Encrypted at rest: s3proxy's encrypted-blobstore middleware encrypts every object (AES-CTR in
 * parts, key derived by PBKDF2 from a password and salt also generated into the keys directory). It
 * keeps multipart uploads, ranged GETs and presigned URLs working; sizes it reports are plaintext
 * sizes.
 *
 * <p>Browsers send the bytes of an upload straight here (a presigned PUT, design.md 11), from the
 * web client's origin: the store answers CORS preflights for the origins it is given (any, with
 * {@code *}: the presigned URL is the credential, CORS only lets a page read the answer).
 */
public final class EmbeddedS3 implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedS3.class);

  private final S3Proxy proxy;
  private final URI endpoint;
  private final String accessKey;
  private final String secretKey;

  private EmbeddedS3(S3Proxy proxy, URI endpoint, String accessKey, String secretKey) {
    this.proxy = proxy;
    this.endpoint = endpoint;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  /**
   * Starts the server; returns once it accepts requests.
   *
   * @param objectsDir where the objects live (created if missing)
   * @param keysDir where the generated credentials and encryption secrets are kept
   * @param port 0 for any free port
   * @param corsOrigins browser origins allowed to send presigned requests ({@code *}: any; empty:
   *     none, CORS off)
   */
  public static EmbeddedS3 start(
      Path objectsDir,
      Path keysDir,
      String host,
      int port,
      boolean encrypted,
      List<String> corsOrigins) {
    try {
      Files.createDirectories(objectsDir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + objectsDir, e);
    }
    // Access keys are printable; 20 and 40 characters like AWS's.
    String accessKey =
        "PARLEY" + HexFormat.of().formatHex(SecretFiles.loadOrCreate(keysDir, "s3-access.key", 7));
    String secretKey =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(SecretFiles.loadOrCreate(keysDir, "s3-secret.key", 30));
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", objectsDir.toString());
    BlobStore store = BlobStores.create("filesystem", properties);
    if (encrypted) {
      properties.setProperty(
          "s3proxy.encrypted-blobstore-password",
          Base64.getEncoder()
              .encodeToString(SecretFiles.loadOrCreate(keysDir, "s3-encryption.key", 32)));
      properties.setProperty(
          "s3proxy.encrypted-blobstore-salt",
          HexFormat.of().formatHex(SecretFiles.loadOrCreate(keysDir, "s3-encryption.salt", 16)));
      try {
        store = EncryptedBlobStore.newEncryptedBlobStore(store, properties);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot set up the encrypted object store", e);
      }
    }
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(store)
            .endpoint(URI.create("http://" + host + ":" + port))
            .awsAuthentication(AuthenticationType.AWS_V4, accessKey, secretKey)
            .corsRules(cors(corsOrigins))
            .build();
    try {
      proxy.start();
      awaitStarted(proxy, Duration.ofSeconds(30));
    } catch (Exception e) {
      stopQuietly(proxy);
      throw new IllegalStateException("The embedded S3 server did not start", e);
    }
    URI endpoint = URI.create("http://" + host + ":" + proxy.getPort());
    log.info(
        "Embedded S3 on {} (objects in {}, {})",
        endpoint,
        objectsDir,
        encrypted ? "encrypted" : "not encrypted");
    return new EmbeddedS3(proxy, endpoint, accessKey, secretKey);
  }

  private static CrossOriginResourceSharing cors(List<String> origins) {
    if (origins.isEmpty()) return CrossOriginResourceSharing.disabled();
    // s3proxy matches origins as regular expressions; ours are plain origins.
    List<String> patterns =
        origins.contains("*") ? List.of("*") : origins.stream().map(Pattern::quote).toList();
    return new CrossOriginResourceSharing(
        patterns, List.of("GET", "HEAD", "PUT"), List.of("*"), List.of("ETag"), "false");
  }

  private static void awaitStarted(S3Proxy proxy, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline)
        throw new IllegalStateException("still " + proxy.getState() + " after " + timeout);
      Thread.sleep(10);
    }
  }

  private static void stopQuietly(S3Proxy proxy) {
    try {
      proxy.stop();
    } catch (Exception e) {
      log.warn("Stopping the embedded S3 server failed", e);
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  public String accessKey() {
    return accessKey;
  }

  public String secretKey() {
    return secretKey;
  }

  @Override
  public void close() {
    stopQuietly(proxy);
  }
}
