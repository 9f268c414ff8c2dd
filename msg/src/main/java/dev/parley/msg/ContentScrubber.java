package dev.parley.msg;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes recalled (and retention-deleted) content leave the database's files, not just its rows.
 *
 * <p>A recall sets the entry's content to NULL, but PostgreSQL keeps the old row version,
 * ciphertext included, in the table file until VACUUM prunes it, and the ciphertext is in the WAL
 * (the insert, and every full-page image of its page taken since) until the segment is removed.
 * Since the content key sits in the same data directory, either copy decrypts. One scrub:
 *
 * <ol>
 *   <li>{@code VACUUM msg.entries} prunes dead versions (and those of its TOAST table);
 *   <li>{@code pg_switch_wal()} ends the WAL segment holding the old copies;
 *   <li>{@code CHECKPOINT} writes the pruned pages and deletes every segment before its redo point
 *       (the embedded server runs with {@code wal_recycle=off}, so they are unlinked, not renamed
 *       and reused with their old bytes).
 * </ol>
 *
 * <p>Measured by ContentScrubberIT: the ciphertext is in the table file and the WAL after the
 * recall, and in no WAL file after one scrub. In the table file the row version is gone, but its
 * bytes can stay in the page's free space, which PostgreSQL does not zero, until later rows on that
 * page overwrite them or the table is rewritten (VACUUM FULL; design.md 8.12). A dead version that
 * a transaction older than the recall can still see cannot be pruned yet; hence one more scrub
 * follows every scrub.
 *
 * <p>It runs only where the role may checkpoint and switch WAL: the embedded database grants both
 * (EmbeddedPostgresAccess); an external one only if its operator does (operations.md). It scrubs
 * only when msg.entries had updates or deletes since the last look (PostgreSQL's statistics, which
 * reach the view within about ten seconds of a commit, a minute at worst), so an idle node adds no
 * WAL segments.
 */
final class ContentScrubber implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ContentScrubber.class);

  private final Jdbi jdbi;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("msg-scrubber").unstarted(r));
  private long seenChanges = -1; // -1: scrub at the first look, for whatever an earlier run left
  private boolean followUp;

  ContentScrubber(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** True when the connected role holds the privileges a scrub needs. */
  static boolean permitted(Jdbi jdbi) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT pg_has_role(current_user, 'pg_checkpoint', 'MEMBER') "
                        + "AND has_function_privilege('pg_switch_wal()', 'EXECUTE')")
                .mapTo(Boolean.class)
                .one());
  }

  void start(Duration every) {
    timer.scheduleWithFixedDelay(
        this::runSafely, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void runSafely() {
    try {
      scrubIfChanged();
    } catch (RuntimeException e) {
      log.warn("Scrubbing recalled content failed; will retry", e);
    }
  }

  /**
   * Scrubs when entries changed since the last look, or once more after a scrub; true if it did.
   */
  synchronized boolean scrubIfChanged() {
    long changes =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT coalesce(sum(n_tup_upd + n_tup_del), 0) FROM pg_stat_user_tables "
                            + "WHERE relid = 'msg.entries'::regclass")
                    .mapTo(Long.class)
                    .one());
    boolean changed = changes != seenChanges;
    seenChanges = changes;
    if (!changed && !followUp) return false;
    followUp = changed;
    scrub();
    return true;
  }

  private void scrub() {
    // VACUUM and CHECKPOINT cannot run inside a transaction: each statement on its own, autocommit.
    jdbi.useHandle(
        h -> {
          h.execute("VACUUM msg.entries");
          h.createQuery("SELECT pg_switch_wal()").mapTo(String.class).one();
          h.execute("CHECKPOINT");
        });
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
