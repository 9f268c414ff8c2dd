package dev.parley.file.upload;

import static dev.parley.file.upload.FileHarness.complete;
import static dev.parley.file.upload.FileHarness.newUser;
import static dev.parley.file.upload.FileHarness.reason;
import static dev.parley.file.upload.FileHarness.upload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.file.image.ImageConfig;
import dev.parley.file.image.ImageMediaProcessor;
import dev.parley.file.image.TestImages;
import dev.parley.proto.client.CreateUploadResponse;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.FileInfo;
import dev.parley.testkit.PostgresExtension;
import java.awt.Color;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * FILE-2 / issue 10: kill -9 in the middle of completing an upload leaves no orphan object and no
 * half-usable file. The completion runs in a separate JVM ({@link CompletionProcess}) against the
 * same PostgreSQL and S3 server; it is killed with SIGKILL at a chosen step; then the upload is not
 * usable, the janitor (after the lease ran out) completes it, and every object in the store belongs
 * to a blob.
 */
class CompletionKillIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  static ImageMediaProcessor images;
  static FileHarness files;
  static Path workDir;

  @BeforeAll
  static void start() throws IOException {
    workDir = Files.createTempDirectory("parley-kill-test");
    images = ImageMediaProcessor.start(ImageConfig.defaults(), workDir, Clock.systemUTC());
    files = new FileHarness(postgres.database(), images);
  }

  @AfterAll
  static void stop() throws Exception {
    files.close();
    images.close();
  }

  @Test
  void killedAfterStoringAThumbnail_theJanitorCompletesTheImage() throws Exception {
    long alice = newUser();
    byte[] photo =
        TestImages.withExif(
            TestImages.jpeg(TestImages.halves(1600, 1200, Color.ORANGE, Color.BLUE)), 1);
    CreateUploadResponse plan =
        files.as(alice).createUpload(upload(photo, "image/jpeg", "killed.jpg").build());
    assertThat(files.send(plan.getSingle().getPut(), photo)).isEqualTo(200);

    killAt(plan, "derived");

    // A thumbnail is stored, nothing is committed: no file, and asking answers "being completed".
    String key = "u/" + plan.getUploadId();
    assertThat(files.store.list(key + ".")).isNotEmpty();
    assertNotUsable(plan);
    assertThat(reason(() -> files.as(alice).completeUpload(complete(plan))))
        .isEqualTo(Reason.UNAVAILABLE);
    OrphanCheck.assertNone(files.store, postgres.database().jdbi());

    files.clock.advance(Duration.ofMinutes(10)); // the dead completion's lease runs out
    assertThat(files.module.janitor().run().resumed()).isEqualTo(1);

    FileInfo file = files.as(alice).completeUpload(complete(plan)).getFile();
    assertThat(file.getMedia()).isEqualTo(FileInfo.MediaStatus.PROCESSED);
    assertThat(file.getThumbnailsCount()).isEqualTo(2);
    // The original, its stripped copy and two thumbnails: the ones the dead process wrote were
    // written again under the same keys, not left beside them.
    assertThat(files.store.list(key)).hasSize(4);
    OrphanCheck.assertNone(files.store, postgres.database().jdbi());
  }

  @Test
  void killedRightAfterS3CompletedTheMultipartUpload_theJanitorCompletesIt() throws Exception {
    long alice = newUser();
    byte[] content = FileHarness.random((int) (6 * FileHarness.MIB));
    CreateUploadResponse plan =
        files
            .as(alice)
            .createUpload(upload(content, "application/octet-stream", "big.bin").build());
    for (var p : files.as(alice).getUploadParts(FileHarness.parts(plan)).getMissingList())
      UploadIT.sendPartWith(files, p, content, plan.getMultipart().getPartSize());

    killAt(plan, "multipart");

    assertNotUsable(plan);
    OrphanCheck.assertNone(files.store, postgres.database().jdbi());
    files.clock.advance(Duration.ofMinutes(10));
    assertThat(files.module.janitor().run().resumed()).isEqualTo(1);

    FileInfo file = files.as(alice).completeUpload(complete(plan)).getFile();
    assertThat(file.getSize()).isEqualTo(content.length);
    assertThat(files.store.listMultipartUploads("u/")).isEmpty();
    OrphanCheck.assertNone(files.store, postgres.database().jdbi());
  }

  /** Starts the completion in its own JVM, waits until it reports the step, kills it (SIGKILL). */
  private static void killAt(CreateUploadResponse plan, String step) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path log = Files.createTempFile(workDir, "completion-process-", ".log");
    Process process =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    CompletionProcess.class.getName(),
                    postgres.jdbcUrl(),
                    postgres.user(),
                    files.s3.endpoint().toString(),
                    files.s3.accessKey(),
                    files.s3.secretKey(),
                    "parley-test",
                    plan.getUploadId(),
                    step,
                    workDir.toString(),
                    Long.toString(files.clock.instant().toEpochMilli())))
            .redirectError(log.toFile())
            .start();
    try {
      CompletableFuture<String> reached =
          CompletableFuture.supplyAsync(() -> firstLineStartingWith(process, "AT "));
      // Generous: a JVM start and one image on a loaded 2-core machine; the kill is what matters.
      String line = reached.get(180, TimeUnit.SECONDS);
      assertThat(line).as("process output; its log: " + log).isEqualTo("AT " + step);
    } finally {
      process.destroyForcibly();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(137);
  }

  private static String firstLineStartingWith(Process process, String prefix) {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) if (line.startsWith(prefix)) return line;
      return "(ended without reaching a step)";
    } catch (IOException e) {
      return "(output unreadable: " + e + ")";
    }
  }

  /** No file row for the upload: nothing refers to unverified or half-processed content. */
  private static void assertNotUsable(CreateUploadResponse plan) {
    long rows =
        postgres
            .database()
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT count(*) FROM file.files f JOIN file.uploads u"
                                + " ON u.file_id = f.file_id WHERE u.upload_id = :id")
                        .bind("id", Long.parseLong(plan.getUploadId()))
                        .mapTo(Long.class)
                        .one());
    assertThat(rows).isZero();
  }
}
