package dev.parley.file.refs;

import dev.parley.file.db.Refs;
import dev.parley.file.store.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes blobs nothing references any more, once their grace period is over (design.md 11.5).
 *
 * <p>Each pass claims due blobs under their row lock (FOR UPDATE SKIP LOCKED, re-checking that no
 * reference exists) and marks them {@code deleting} in one transaction; a reference taken later
 * finds the blob not live and is refused, a reference that holds the lock first makes the blob not
 * due (its {@code delete_after} becomes NULL), so a referenced blob is never deleted. Then the
 * objects go (original and every derived object), then the rows. All state is in the database: a
 * blob left {@code deleting} by a crash is claimed again by the next pass, here or on another
 * instance, and its deletion repeated (deleting a missing object succeeds). Each timed pass then
 * runs the {@link ObjectSweep}, for objects no row describes.
 */
public final class BlobJanitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BlobJanitor.class);
  private static final int BATCH = 100;

  private final Jdbi jdbi;
  private final ObjectStore store;
  private final Clock clock;
  private final Refs refs = new Refs();
  private final @Nullable ObjectSweep sweep;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("file-blob-janitor").unstarted(r));

  public BlobJanitor(Jdbi jdbi, ObjectStore store, Clock clock) {
    this(jdbi, store, clock, null);
  }

  /** With an object sweep, run after each timed pass (design.md 11.5). */
  public BlobJanitor(Jdbi jdbi, ObjectStore store, Clock clock, @Nullable ObjectSweep sweep) {
    this.jdbi = jdbi;
    this.store = store;
    this.clock = clock;
    this.sweep = sweep;
  }

  public void start(Duration every) {
    timer.scheduleWithFixedDelay(
        this::runSafely, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void runSafely() {
    try {
      run();
    } catch (RuntimeException e) {
      log.warn("Blob janitor pass failed; the next one retries", e);
    }
    if (sweep == null) return;
    try {
      sweep.run();
    } catch (RuntimeException e) {
      log.warn("Object sweep failed; the next pass retries", e);
    }
  }

  /** One pass; returns the number of blobs deleted. */
  public synchronized int run() {
    int deleted = 0;
    while (true) {
      List<Long> claimed = jdbi.inTransaction(h -> refs.claimDue(h, clock.instant(), BATCH));
      for (long blobId : claimed) {
        for (String key : jdbi.withHandle(h -> refs.objectKeys(h, blobId))) store.delete(key);
        jdbi.useTransaction(h -> refs.deleteBlob(h, blobId));
        deleted++;
      }
      if (claimed.size() < BATCH) return deleted;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
