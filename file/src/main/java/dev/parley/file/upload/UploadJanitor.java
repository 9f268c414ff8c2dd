package dev.parley.file.upload;

import dev.parley.file.FileConfig;
import dev.parley.file.db.UploadRow;
import dev.parley.file.db.Uploads;
import dev.parley.file.store.ObjectStore;
import dev.parley.file.store.PendingMultipart;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cleans up after uploads (design.md 11.5). All its state is in the database, so a restart resumes
 * where the last pass stopped; with several instances, rows are claimed with SKIP LOCKED.
 *
 * <ol>
 *   <li>Open uploads past their expiry become EXPIRED; their multipart upload is aborted and their
 *       object deleted (the object first: a crash in between leaves an open, expired row that the
 *       next pass handles again).
 *   <li>Completions whose lease ran out (their process died or hung) are completed again.
 *   <li>Failed and expired uploads past upload-retention are forgotten.
 *   <li>Multipart uploads under {@code u/} that no open upload owns are aborted: a crash between
 *       creating one and storing its row, or a row removed by hand.
 * </ol>
 */
public final class UploadJanitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UploadJanitor.class);
  private static final int BATCH = 100;

  private final FileConfig config;
  private final Jdbi jdbi;
  private final Uploads uploads = new Uploads();
  private final ObjectStore store;
  private final Completer completer;
  private final Clock clock;

  /** Multipart ids the previous pass found without an owner (janitor thread only). */
  private Set<String> ownerless = new HashSet<>();

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("file-janitor").unstarted(r));

  public UploadJanitor(
      FileConfig config, Jdbi jdbi, ObjectStore store, Completer completer, Clock clock) {
    this.config = config;
    this.jdbi = jdbi;
    this.store = store;
    this.completer = completer;
    this.clock = clock;
  }

  public void start() {
    long every = config.janitorInterval().toMillis();
    timer.scheduleWithFixedDelay(this::runSafely, every, every, TimeUnit.MILLISECONDS);
  }

  private void runSafely() {
    try {
      run();
    } catch (RuntimeException e) {
      log.warn("File janitor pass failed; the next one retries", e);
    }
  }

  /** One full pass; returns what it did. */
  public synchronized Pass run() {
    int expired = expire();
    int resumed = resumeStaleCompletions();
    Instant cutoff = clock.instant().minus(config.uploadRetention());
    int forgotten = jdbi.inTransaction(h -> uploads.deleteFinishedBefore(h, cutoff, 10_000));
    int aborted = abortLeftoverMultiparts();
    return new Pass(expired, resumed, forgotten, aborted);
  }

  /** Counts of one pass, for tests and logs. */
  public record Pass(int expired, int resumed, int forgotten, int abortedLeftovers) {}

  private int expire() {
    int total = 0;
    while (true) {
      Instant now = clock.instant();
      // One transaction per batch: the rows stay locked (other instances skip them) while their
      // objects are removed, and become EXPIRED only once nothing is left in S3.
      int n =
          jdbi.inTransaction(
              h -> {
                List<UploadRow> batch = uploads.lockExpired(h, now, BATCH);
                for (UploadRow u : batch) {
                  String multipartId = u.multipartId();
                  if (multipartId != null) store.abortMultipart(u.objectKey(), multipartId);
                  store.delete(u.objectKey());
                  uploads.markExpired(h, u.uploadId(), now);
                }
                return batch.size();
              });
      total += n;
      if (n < BATCH) return total;
    }
  }

  private int resumeStaleCompletions() {
    int resumed = 0;
    for (long id : jdbi.withHandle(h -> uploads.staleCompletions(h, clock.instant(), BATCH))) {
      Optional<UploadRow> leased = completer.takeLease(id);
      if (leased.isEmpty()) continue; // taken by someone else meanwhile
      try {
        completer.complete(leased.get());
        log.info("Completed upload {} after its completion was interrupted", id);
      } catch (RuntimeException e) {
        // A refusal is recorded by the completer itself; anything else leaves the lease to run out
        // again and the next pass retries.
        log.info("Resumed completion of upload {} ended: {}", id, e.getMessage());
      }
      resumed++;
    }
    return resumed;
  }

  /**
   * A leftover is aborted when two passes in a row saw it without an owner: a create_upload in
   * flight (multipart created, row not yet committed) has committed by the next pass. S3's
   * "initiated" time would do too, but it is the store's clock, not ours.
   */
  private int abortLeftoverMultiparts() {
    int aborted = 0;
    Set<String> seen = new HashSet<>();
    for (PendingMultipart m : store.listMultipartUploads("u/")) {
      if (jdbi.withHandle(h -> uploads.multipartInUse(h, m.key(), m.multipartId()))) continue;
      if (!ownerless.contains(m.multipartId())) {
        seen.add(m.multipartId());
        continue;
      }
      store.abortMultipart(m.key(), m.multipartId());
      aborted++;
    }
    ownerless = seen;
    return aborted;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
