package dev.parley.msg;

import dev.parley.msg.core.FileAttachments;
import dev.parley.msg.search.SearchBackend;
import dev.parley.msg.store.Entries;
import dev.parley.msg.store.Feed;
import dev.parley.msg.store.Pins;
import dev.parley.msg.store.Tx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention: deletes feed rows older than msg.feed-retention and entries older than
 * msg.history-retention (zero = keep forever), in small batches so that no transaction holds many
 * locks. Devices whose cursor falls behind the pruned feed get too_long and resynchronize.
 *
 * <p>Deleted entries release the files they reference in the same transaction, as a recall does
 * (design.md 11.3): their blobs are locked first (lock order: blob, then entry, as in the log
 * writer's recalls), and content left unreferenced is deleted after the file grace period.
 */
final class Janitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Janitor.class);
  private static final int BATCH = 5_000;

  private final MsgConfig config;
  private final Pins pins = new Pins();
  private final Tx tx;
  private final Feed feed;
  private final Entries entries;
  private final FileAttachments files;
  private final SearchBackend search;
  private final Clock clock;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("msg-janitor").unstarted(r));

  Janitor(
      MsgConfig config,
      Tx tx,
      Feed feed,
      Entries entries,
      FileAttachments files,
      SearchBackend search,
      Clock clock) {
    this.config = config;
    this.files = files;
    this.search = search;
    this.tx = tx;
    this.feed = feed;
    this.entries = entries;
    this.clock = clock;
  }

  void start(Duration every) {
    timer.scheduleWithFixedDelay(
        this::runSafely, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void runSafely() {
    try {
      run();
    } catch (RuntimeException e) {
      log.warn("Retention run failed; will retry", e);
    }
  }

  /** One full pass; returns the number of rows deleted. */
  int run() {
    int deleted = 0;
    if (!config.feedRetention().isZero()) {
      var cutoff = clock.instant().minus(config.feedRetention());
      int n;
      do {
        n = tx.write(h -> feed.prune(h, cutoff, BATCH));
        deleted += n;
      } while (n == BATCH);
    }
    if (!config.historyRetention().isZero()) {
      var cutoff = clock.instant().minus(config.historyRetention());
      int n;
      do {
        n = tx.write(h -> deleteEntries(h, cutoff));
        deleted += n;
      } while (n == BATCH);
      // The search index forgets them too (design.md 14.4; OpenSearch would keep their words).
      search.forgetBefore(cutoff);
    }
    return deleted;
  }

  private int deleteEntries(Handle h, Instant cutoff) {
    List<FileAttachments.EntryRef> old = entries.createdBefore(h, cutoff, BATCH);
    if (old.isEmpty()) return 0;
    files.lock(h, new long[0], old);
    files.release(h, old, clock.instant());
    entries.delete(h, old);
    // A pinned message gone to retention no longer holds a place under the pin bound (design.md
    // 13.5); nobody could unpin it any more.
    pins.delete(
        h,
        old.stream().mapToLong(FileAttachments.EntryRef::conversationId).toArray(),
        old.stream().mapToLong(FileAttachments.EntryRef::seq).toArray());
    return old.size(); // rows another instance deleted meanwhile count too: the batch was full
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
