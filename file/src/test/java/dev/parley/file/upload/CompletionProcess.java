package dev.parley.file.upload;

import dev.parley.common.db.Database;
import dev.parley.common.id.Snowflake;
import dev.parley.file.db.Blobs;
import dev.parley.file.db.Files;
import dev.parley.file.db.Uploads;
import dev.parley.file.image.ImageConfig;
import dev.parley.file.image.ImageMediaProcessor;
import dev.parley.file.store.ObjectHead;
import dev.parley.file.store.ObjectStore;
import dev.parley.file.store.PendingMultipart;
import dev.parley.file.store.PresignedUrl;
import dev.parley.file.store.S3ObjectStore;
import dev.parley.file.store.S3Settings;
import dev.parley.file.store.StoredPart;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A process that completes one upload with the real completer, store and image processor, and stops
 * dead at a chosen step so that the test can kill it there with SIGKILL ({@code destroyForcibly}):
 * it prints {@code AT <step>} and waits. Steps: {@code multipart} (S3 has completed the multipart
 * upload, nothing else happened), {@code derived} (the first thumbnail is stored, nothing is
 * committed).
 *
 * <p>Arguments: JDBC URL, database user, S3 endpoint, access key, secret key, bucket, upload id,
 * step, work directory.
 */
public final class CompletionProcess {
  private CompletionProcess() {}

  public static void main(String[] args) throws Exception {
    String step = args[7];
    try (Database database =
            new Database(args[0], args[1], "", 2, Duration.ofSeconds(30), "completion-process");
        S3ObjectStore s3 =
            new S3ObjectStore(
                new S3Settings(
                    URI.create(args[2]),
                    URI.create(args[2]),
                    "us-east-1",
                    args[5],
                    args[3],
                    args[4],
                    true,
                    false));
        ImageMediaProcessor images =
            ImageMediaProcessor.start(
                ImageConfig.defaults(), Path.of(args[8]), Clock.systemUTC())) {
      Completer completer =
          new Completer(
              database.jdbi(),
              new Uploads(),
              new Blobs(),
              new Files(),
              new StoppingStore(s3, step),
              images,
              new Snowflake(2, Clock.systemUTC()),
              Clock.systemUTC(),
              Duration.ofMinutes(5),
              new FileMetrics(new SimpleMeterRegistry()));
      completer.complete(completer.takeLease(Long.parseLong(args[6])).orElseThrow());
      System.out.println("COMPLETED"); // the test failed to stop us
    }
  }

  /** The real store, which stops the process after the chosen step. */
  private record StoppingStore(ObjectStore store, String step) implements ObjectStore {
    private void reached(String here) {
      if (!here.equals(step)) return;
      System.out.println("AT " + here);
      System.out.flush();
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    @Override
    public PresignedUrl presignPut(String key, String contentType, Duration ttl) {
      return store.presignPut(key, contentType, ttl);
    }

    @Override
    public PresignedUrl presignPart(String key, String multipartId, int partNumber, Duration ttl) {
      return store.presignPart(key, multipartId, partNumber, ttl);
    }

    @Override
    public PresignedUrl presignGet(
        String key, String contentType, String contentDisposition, Duration ttl) {
      return store.presignGet(key, contentType, contentDisposition, ttl);
    }

    @Override
    public String createMultipart(String key, String contentType) {
      return store.createMultipart(key, contentType);
    }

    @Override
    public Optional<List<StoredPart>> listParts(String key, String multipartId) {
      return store.listParts(key, multipartId);
    }

    @Override
    public void completeMultipart(String key, String multipartId, List<StoredPart> parts) {
      store.completeMultipart(key, multipartId, parts);
      reached("multipart");
    }

    @Override
    public void abortMultipart(String key, String multipartId) {
      store.abortMultipart(key, multipartId);
    }

    @Override
    public List<PendingMultipart> listMultipartUploads(String prefix) {
      return store.listMultipartUploads(prefix);
    }

    @Override
    public Optional<ObjectHead> head(String key) {
      return store.head(key);
    }

    @Override
    public InputStream get(String key) {
      return store.get(key);
    }

    @Override
    public InputStream getRange(String key, long offset, long length) {
      return store.getRange(key, offset, length);
    }

    @Override
    public void put(String key, String contentType, byte[] bytes) {
      store.put(key, contentType, bytes);
      reached("derived");
    }

    @Override
    public void put(String key, String contentType, Path file) {
      store.put(key, contentType, file);
      reached("derived");
    }

    @Override
    public List<String> list(String prefix) {
      return store.list(prefix);
    }

    @Override
    public void delete(String key) {
      store.delete(key);
    }
  }
}
