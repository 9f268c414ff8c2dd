package dev.parley.server.tools;

import dev.parley.file.store.EmbeddedS3;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the single node's S3 server (s3proxy, encrypted filesystem back end) on its own, as the
 * local cluster's object store (scripts/cluster-local.sh): {@code java -cp parley-server.jar
 * dev.parley.server.tools.S3Main OBJECTS_DIR KEYS_DIR PORT}. The credentials the msg instances need
 * are written to {@code KEYS_DIR/s3.env} (0600) as PARLEY_FILE_S3_* variables. Stops on SIGTERM.
 * Production clusters use MinIO, Ceph or a cloud S3 instead.
 */
public final class S3Main {
  private S3Main() {}

  public static void main(String[] args) throws InterruptedException, IOException {
    if (args.length != 3) {
      System.err.println("usage: S3Main OBJECTS_DIR KEYS_DIR PORT");
      System.exit(2);
    }
    Path keys = Path.of(args[1]).toAbsolutePath();
    EmbeddedS3 s3 =
        EmbeddedS3.start(
            Path.of(args[0]).toAbsolutePath(),
            keys,
            "127.0.0.1",
            Integer.parseInt(args[2]),
            true,
            // The web client uploads from the gateway's origin; a presigned URL is the credential.
            List.of("*"));
    Path env = keys.resolve("s3.env");
    Files.writeString(
        env,
        "PARLEY_FILE_S3_ENDPOINT="
            + s3.endpoint()
            + "\nPARLEY_FILE_S3_ACCESS_KEY="
            + s3.accessKey()
            + "\nPARLEY_FILE_S3_SECRET_KEY="
            + s3.secretKey()
            + "\n",
        StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE);
    Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-------"));
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  s3.close();
                  stop.countDown();
                }));
    System.out.println("S3 ready: " + s3.endpoint() + " (credentials in " + env + ")");
    stop.await();
  }
}
