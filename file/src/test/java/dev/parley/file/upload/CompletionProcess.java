package dev.parley.file.upload;

import dev.parley.common.db.Database;
import dev.parley.common.id.Snowflake;
import dev.parley.file.db.Blobs;
import dev.parley.file.db.Files;
import dev.parley.file.db.Uploads;
import dev.parley.file.image.ImageConfig;
import dev.parley.file.image.ImageMediaProcessor;
import dev.parley.file.store.ObjectStore;
import dev.parley.file.store.S3ObjectStore;
import dev.parley.file.store.S3Settings;
import dev.parley.file.store.StoredPart;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A process that completes one upload with the real completer, store and image processor, and stops
 * dead at a chosen step so that the test can kill it there with SIGKILL ({@code destroyForcibly}):
 * it prints {@code AT <step>} and waits. Steps: {@code multipart} (S3 has completed the multipart
 * upload, nothing else happened), {@code derived} (the first thumbnail is stored, nothing is
 * committed).
 *
 * <p>Arguments: JDBC URL, database user, S3 endpoint, access key, secret key, bucket, upload id,
 * step, work directory, and the test clock's time (epoch ms): this process's clock runs from there,
 * so that the lease it takes is on the test's time line.
 */
public final class CompletionProcess {
  private CompletionProcess() {}

  public static void main(String[] args) throws Exception {
    String step = args[7];
    Clock clock =
        Clock.offset(
            Clock.systemUTC(),
            Duration.ofMillis(Long.parseLong(args[9]) - System.currentTimeMillis()));
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
              clock,
              Duration.ofMinutes(5),
              Duration.ofHours(24),
              new FileMetrics(new SimpleMeterRegistry()));
      completer.complete(completer.takeLease(Long.parseLong(args[6])).orElseThrow());
      System.out.println("COMPLETED"); // the test failed to stop us
    }
  }

  /** The real store, which stops the process after the chosen step. */
  private static final class StoppingStore extends DelegatingStore {
    private final String step;

    StoppingStore(ObjectStore store, String step) {
      super(store);
      this.step = step;
    }

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
    public void completeMultipart(String key, String multipartId, List<StoredPart> parts) {
      super.completeMultipart(key, multipartId, parts);
      reached("multipart");
    }

    @Override
    public void put(String key, String contentType, byte[] bytes) {
      super.put(key, contentType, bytes);
      reached("derived");
    }

    @Override
    public void put(String key, String contentType, Path file) {
      super.put(key, contentType, file);
      reached("derived");
    }
  }
}
