package dev.parley.file.upload;

import static dev.parley.file.upload.FileHarness.MIB;
import static dev.parley.file.upload.FileHarness.complete;
import static dev.parley.file.upload.FileHarness.newUser;
import static dev.parley.file.upload.FileHarness.parts;
import static dev.parley.file.upload.FileHarness.random;
import static dev.parley.file.upload.FileHarness.reason;
import static dev.parley.file.upload.FileHarness.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.file.db.UploadRow;
import dev.parley.file.store.StoredPart;
import dev.parley.proto.client.CreateUploadResponse;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.FileInfo;
import dev.parley.proto.client.PartUrl;
import dev.parley.testkit.PostgresExtension;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Expiry, leftovers and interrupted completions: what the janitor cleans up or finishes. */
class UploadJanitorIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  static FileHarness files;

  @BeforeAll
  static void start() {
    files = new FileHarness(postgres.database());
  }

  @AfterAll
  static void stop() throws Exception {
    files.close();
  }

  @Test
  void expiredUploadsLoseTheirObjectsAndMultipartUploads() {
    long alice = newUser();
    byte[] small = random(1000);
    byte[] large = UploadIT.mp4((int) (6 * MIB));
    CreateUploadResponse single =
        files.as(alice).createUpload(upload(small, "application/octet-stream", "s").build());
    files.send(single.getSingle().getPut(), small);
    CreateUploadResponse multi =
        files.as(alice).createUpload(upload(large, "video/mp4", "m.mp4").build());
    PartUrl first = files.as(alice).getUploadParts(parts(multi)).getMissing(0);
    UploadIT.sendPartWith(files, first, large, 5 * MIB);

    files.clock.advance(Duration.ofHours(25));
    assertThat(reason(() -> files.as(alice).getUploadParts(parts(single))))
        .isEqualTo(Reason.UPLOAD_EXPIRED);
    assertThat(reason(() -> files.as(alice).completeUpload(complete(single))))
        .isEqualTo(Reason.UPLOAD_EXPIRED);

    assertThat(files.module.janitor().run().expired()).isGreaterThanOrEqualTo(2);

    assertThat(files.store.head("u/" + single.getUploadId())).isEmpty();
    assertThat(files.store.listMultipartUploads("u/"))
        .noneMatch(m -> m.key().equals("u/" + multi.getUploadId()));
    assertThat(reason(() -> files.as(alice).completeUpload(complete(multi))))
        .isEqualTo(Reason.UPLOAD_EXPIRED);
  }

  @Test
  void multipartLeftoversWithoutAnUploadAreAborted() {
    String key = "u/" + (1L << 50) + System.nanoTime() % 1000;
    String id = files.store.createMultipart(key, "application/octet-stream");

    files.module.janitor().run(); // first sighting: could be a create_upload in flight
    assertThat(files.store.listMultipartUploads("u/")).anyMatch(m -> m.multipartId().equals(id));
    assertThat(files.module.janitor().run().abortedLeftovers()).isGreaterThanOrEqualTo(1);
    assertThat(files.store.listMultipartUploads("u/")).noneMatch(m -> m.multipartId().equals(id));
  }

  @Test
  void aCompletionInterruptedAfterTheS3CompleteIsFinishedByTheJanitor() {
    long alice = newUser();
    byte[] content = UploadIT.mp4((int) (6 * MIB));
    CreateUploadResponse plan =
        files.as(alice).createUpload(upload(content, "video/mp4", "m.mp4").build());
    for (PartUrl p : files.as(alice).getUploadParts(parts(plan)).getMissingList())
      UploadIT.sendPartWith(files, p, content, 5 * MIB);
    long uploadId = Long.parseLong(plan.getUploadId());

    // The process completing it gets as far as S3's CompleteMultipartUpload, then dies (kill -9):
    // the lease is taken and the object complete, nothing is committed.
    UploadRow leased = files.completer().takeLease(uploadId).orElseThrow();
    String multipartId = Objects.requireNonNull(leased.multipartId());
    List<StoredPart> stored = files.store.listParts(leased.objectKey(), multipartId).orElseThrow();
    files.store.completeMultipart(leased.objectKey(), multipartId, stored);

    // Meanwhile the client asks: the completion is under way.
    assertThat(reason(() -> files.as(alice).completeUpload(complete(plan))))
        .isEqualTo(Reason.UNAVAILABLE);
    // The lease runs out; the janitor completes it again from where it stopped.
    files.clock.advance(Duration.ofMinutes(6));
    assertThat(files.module.janitor().run().resumed()).isEqualTo(1);

    FileInfo file = files.as(alice).completeUpload(complete(plan)).getFile();
    assertThat(file.getSize()).isEqualTo(content.length);
    assertThat(files.store.head(leased.objectKey())).isPresent();
  }

  @Test
  void aPresignedUrlDiesWithItsUpload() {
    long alice = newUser();
    byte[] content = random(1000);
    CreateUploadResponse plan =
        files.as(alice).createUpload(upload(content, "application/octet-stream", "a").build());
    // One second before the upload expires, a fresh URL lives one second, not url-ttl.
    files.clock.advance(Duration.ofHours(24).minusSeconds(1));
    PartUrl url = files.as(alice).getUploadParts(parts(plan)).getMissing(0);
    assertThat(url.getPut().getExpiresAtMs() - System.currentTimeMillis()).isLessThan(5_000);

    // S3 checks the signature's expiry against the real clock: poll until it refuses.
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> files.send(url.getPut(), content) == 403);
  }
}
