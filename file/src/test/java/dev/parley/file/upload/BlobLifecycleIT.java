package dev.parley.file.upload;

import static dev.parley.file.upload.FileHarness.newUser;
import static dev.parley.file.upload.FileHarness.random;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.grpc.GrpcErrors;
import dev.parley.file.refs.Attachments;
import dev.parley.file.refs.BlobJanitor;
import dev.parley.file.refs.MessageRef;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.FileInfo;
import dev.parley.proto.client.GetDownloadUrlRequest;
import dev.parley.testkit.PostgresExtension;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10, item 6 (design.md 11.3, 11.5): references keep content alive, unreferenced content is
 * deleted after the grace period by a janitor whose state is in the database, and a reference
 * racing the deletion either wins or is refused, never left dangling.
 */
class BlobLifecycleIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  static FileHarness files;
  static Jdbi jdbi;
  static Attachments attachments;
  static final AtomicLong CONVERSATIONS = new AtomicLong(1_000_000);
  static final Duration GRACE = FileHarness.config().deleteGrace();

  @BeforeAll
  static void start() {
    files = new FileHarness(postgres.database());
    jdbi = postgres.database().jdbi();
    attachments = files.module.attachments();
  }

  @AfterAll
  static void stop() throws Exception {
    files.close();
  }

  private static FileInfo upload(long owner) {
    return UploadIT.uploadSmallWith(
        files, owner, random(2000), "application/octet-stream", "blob.bin");
  }

  private static long id(FileInfo f) {
    return Long.parseLong(f.getFileId());
  }

  private static String objectKey(FileInfo f) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT b.object_key FROM file.files f JOIN file.blobs b USING (blob_id)"
                        + " WHERE f.file_id = :id")
                .bind("id", id(f))
                .mapTo(String.class)
                .one());
  }

  private static MessageRef newMessage() {
    return new MessageRef(CONVERSATIONS.incrementAndGet(), 1);
  }

  /** What the log writer does when it stores a message with this file: lock, then reference. */
  private static boolean reference(FileInfo f, MessageRef at) {
    return jdbi.inTransaction(
        h -> {
          Set<Long> usable = attachments.lock(h, new long[] {id(f)}, List.of());
          if (!usable.contains(id(f))) return false;
          attachments.reference(h, new long[] {id(f)}, List.of(at), files.clock.instant());
          return true;
        });
  }

  private static void release(MessageRef at) {
    jdbi.useTransaction(
        h -> {
          attachments.lock(h, new long[0], List.of(at));
          attachments.release(h, List.of(at), files.clock.instant());
        });
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits until a session of this test's database waits for a lock (the sender on the blob row the
   * claim holds). Polls pg_stat_activity; a sender that never blocks fails the test.
   */
  private static void awaitLockWaiter() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                            + " AND wait_event_type = 'Lock'")
                    .mapTo(Long.class)
                    .one())
        == 0) {
      if (System.nanoTime() > deadline)
        throw new AssertionError("the sender never waited on a lock");
      Thread.sleep(10);
    }
  }

  /** Whether the uploader gets a download URL; a refusal must be NOT_FOUND. */
  private static boolean downloadable(long owner, FileInfo f) {
    try {
      files
          .as(owner)
          .getDownloadUrl(GetDownloadUrlRequest.newBuilder().setFileId(f.getFileId()).build());
      return true;
    } catch (StatusRuntimeException e) {
      assertThat(GrpcErrors.toError(e).getReason()).isEqualTo(Reason.NOT_FOUND);
      return false;
    }
  }

  @Test
  void theJanitorDeletesUnreferencedContentAfterTheGraceAndKeepsReferencedContent() {
    long alice = newUser();
    FileInfo kept = upload(alice);
    FileInfo dropped = upload(alice);
    MessageRef message = newMessage();
    assertThat(reference(kept, message)).isTrue();
    assertThat(reference(kept, message)).as("a second reference of one entry is a no-op").isTrue();

    // Within the grace nothing goes, even what nobody references.
    files.clock.advance(GRACE.minusMinutes(1));
    new BlobJanitor(jdbi, files.store, files.clock).run();
    assertThat(files.store.head(objectKey(dropped))).isPresent();

    // Past it: the never-attached upload is deleted (object and rows), the referenced one stays.
    files.clock.advance(Duration.ofMinutes(2));
    String droppedKey = objectKey(dropped);
    assertThat(new BlobJanitor(jdbi, files.store, files.clock).run()).isGreaterThanOrEqualTo(1);
    assertThat(files.store.head(droppedKey)).isEmpty();
    assertThat(downloadable(alice, dropped)).isFalse();
    assertThat(files.store.head(objectKey(kept))).isPresent();
    assertThat(downloadable(alice, kept)).isTrue();

    // The recall releases the reference: the content goes a grace period later (a new janitor
    // instance: everything it needs is in the database).
    release(message);
    new BlobJanitor(jdbi, files.store, files.clock).run();
    assertThat(files.store.head(objectKey(kept))).isPresent();
    String keptKey = objectKey(kept);
    files.clock.advance(GRACE.plusMinutes(1));
    new BlobJanitor(jdbi, files.store, files.clock).run();
    assertThat(files.store.head(keptKey)).isEmpty();
    assertThat(downloadable(alice, kept)).isFalse();
    assertThat(reference(kept, newMessage())).as("deleted content cannot be referenced").isFalse();
  }

  @Test
  void aDeletionInterruptedAfterItsClaimIsFinishedByTheNextPass() {
    long alice = newUser();
    FileInfo f = upload(alice);
    String key = objectKey(f);
    files.clock.advance(GRACE.plusMinutes(1));
    // A janitor that claimed the blob and died before deleting anything.
    jdbi.useTransaction(
        h ->
            assertThat(new dev.parley.file.db.Refs().claimDue(h, files.clock.instant(), 1000))
                .isNotEmpty());
    assertThat(files.store.head(key)).isPresent();
    assertThat(downloadable(alice, f)).as("content being deleted is gone for users").isFalse();

    new BlobJanitor(jdbi, files.store, files.clock).run();
    assertThat(files.store.head(key)).isEmpty();
  }

  @Test
  void aReferenceTakenWhileTheJanitorRunsWinsAndTheContentStays() throws Exception {
    long alice = newUser();
    FileInfo f = upload(alice);
    files.clock.advance(GRACE.plusMinutes(1)); // due: the janitor would delete it
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch janitorDone = new CountDownLatch(1);
    MessageRef message = newMessage();
    CompletableFuture<Boolean> sender =
        CompletableFuture.supplyAsync(
            () ->
                jdbi.inTransaction(
                    h -> {
                      Set<Long> usable = attachments.lock(h, new long[] {id(f)}, List.of());
                      locked.countDown();
                      // Hold the blob lock while the janitor runs its pass.
                      await(janitorDone);
                      if (!usable.contains(id(f))) return false;
                      attachments.reference(
                          h, new long[] {id(f)}, List.of(message), files.clock.instant());
                      return true;
                    }));
    assertThat(locked.await(60, TimeUnit.SECONDS)).isTrue();
    new BlobJanitor(jdbi, files.store, files.clock).run(); // skips the locked blob
    janitorDone.countDown();
    assertThat(sender.get(60, TimeUnit.SECONDS)).isTrue();

    // Committed with its reference: no later pass deletes it.
    new BlobJanitor(jdbi, files.store, files.clock).run();
    assertThat(files.store.head(objectKey(f))).isPresent();
    assertThat(downloadable(alice, f)).isTrue();
  }

  @Test
  void aReferenceRacingADeletionThatClaimedFirstIsRefusedAndLeavesNothingBehind() throws Exception {
    long alice = newUser();
    FileInfo f = upload(alice);
    String key = objectKey(f);
    files.clock.advance(GRACE.plusMinutes(1));
    CountDownLatch claimed = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    // Each on its own thread: on the common pool (one thread on a 2-core machine) the sender
    // would only start after the janitor's transaction ended, and never race it.
    ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    CompletableFuture<Void> janitor =
        CompletableFuture.runAsync(
            () ->
                jdbi.useTransaction(
                    h -> {
                      new dev.parley.file.db.Refs().claimDue(h, files.clock.instant(), 1000);
                      claimed.countDown();
                      await(release);
                    }),
            threads);
    assertThat(claimed.await(60, TimeUnit.SECONDS)).isTrue();
    // The sender waits for the claim's commit, then finds the content being deleted. Released
    // only once PostgreSQL shows the sender waiting for a lock, so the test proves that order.
    CompletableFuture<Boolean> sender =
        CompletableFuture.supplyAsync(() -> reference(f, newMessage()), threads);
    awaitLockWaiter();
    release.countDown();
    janitor.get(60, TimeUnit.SECONDS);
    assertThat(sender.get(60, TimeUnit.SECONDS)).isFalse();
    threads.close();

    new BlobJanitor(jdbi, files.store, files.clock).run();
    assertThat(files.store.head(key)).isEmpty();
    long dangling =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT count(*) FROM file.refs WHERE file_id = :id")
                    .bind("id", id(f))
                    .mapTo(Long.class)
                    .one());
    assertThat(dangling).isZero();
  }
}
