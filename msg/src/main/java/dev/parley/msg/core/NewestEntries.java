package dev.parley.msg.core;

import dev.parley.msg.core.log.Appended;
import dev.parley.msg.feed.FeedItem;
import dev.parley.msg.recent.RecentEntries;
import dev.parley.msg.recent.RecentEntries.Cached;
import dev.parley.msg.recent.RecentSnapshot;
import dev.parley.msg.store.ConversationRow;
import dev.parley.msg.store.Entries;
import dev.parley.msg.store.Entry;
import dev.parley.msg.store.EntryKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * The newest entries of conversation logs (the first history page, the conversation list's last
 * message), read through the recent-entries cache when it is provably current and from the table
 * otherwise. The cache is never the only copy and never trusted: this class is what makes its
 * answers identical to the table's.
 *
 * <p><b>Why a snapshot is current exactly when its head is the conversation's last_seq.</b> Entries
 * are appended with gap-free seq (the LogWriter) and afterwards change only by a recall or an edit,
 * which changes the target (and the quotes in its replies) <em>and appends a recall or edit entry
 * in the same transaction</em>, so last_seq moves whenever any entry changes. The log as of
 * last_seq = n is therefore fixed forever once n is reached, and a snapshot taken when the head was
 * n (its newest seq is n) is the log of every reader who then reads last_seq = n. The readers have
 * last_seq in hand already (they read the conversation row for the visibility rules), so the check
 * costs nothing: a snapshot with another head is ignored and the table read instead. No
 * invalidation protocol is needed; a lost, flushed or expired cache costs a table read, a stale one
 * as well.
 *
 * <p><b>Where snapshots come from.</b> A refill is one statement (the newest rows, unbounded
 * above), so it is the log as of its newest row exactly; the conversation list refills with the
 * single row it read, the entry at last_seq, read after last_seq was: as new or newer (it may show
 * a recall that committed in between, as a read of the table at that moment would). After a commit
 * the new entry is put on top of a cached list whose head is its predecessor, except a recall's,
 * which drops the list (RecentEntries.appended); none of this is needed for correctness, only for
 * hits.
 *
 * <p><b>The requested range must lie inside the snapshot</b> (RecentSnapshot.newest/page): it holds
 * enough of the range's newest entries, or reaches down to the range's first seq, or knows the seq
 * of the next older entry. The member's visibility window (first_visible_seq, last_visible_seq) is
 * applied here, after the cache, exactly as on the table.
 *
 * <p><b>Retention</b> (msg.history-retention) deletes old entries without appending anything, the
 * one change the head check cannot see. A cached answer that includes an entry created before the
 * retention cutoff plus {@link #CLOCK_SKEW} is refused (and read from the table), so the cache
 * never shows an entry the janitor may have deleted; entries' creation times follow their seqs up
 * to the instances' clock skew, which also covers the "older entry exists" knowledge of a page's
 * {@code more}. With retention off (the default) nothing is ever deleted.
 *
 * <p><b>Failures.</b> A cache that fails or does not answer within its read timeout is counted and
 * skipped; the request reads the table. Reads are counted in {@code
 * parley.msg.recent.reads{result}}: hit; miss (nothing cached) and stale (another head), both
 * refilled; shallow (current, but the range is not inside; refilled when the cached list is short,
 * e.g. started by a single entry); failed.
 */
public final class NewestEntries {
  /**
   * Allowed disagreement between the clocks of msg instances (creation times vs the janitor's
   * cutoff).
   */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

  private final RecentEntries cache;
  private final int size;
  private final Entries entries;
  private final Duration historyRetention;
  private final Clock clock;
  private final Counter hit;
  private final Counter miss;
  private final Counter stale;
  private final Counter shallow;
  private final Counter failed;

  /**
   * @param size the entries the cache keeps per conversation
   * @param historyRetention msg.history-retention (zero: entries are never deleted)
   */
  public NewestEntries(
      RecentEntries cache,
      int size,
      Entries entries,
      Duration historyRetention,
      Clock clock,
      MeterRegistry meters) {
    this.cache = cache;
    this.size = size;
    this.entries = entries;
    this.historyRetention = historyRetention;
    this.clock = clock;
    this.hit = reads(meters, "hit");
    this.miss = reads(meters, "miss");
    this.stale = reads(meters, "stale");
    this.shallow = reads(meters, "shallow");
    this.failed = reads(meters, "failed");
  }

  private static Counter reads(MeterRegistry meters, String result) {
    return Counter.builder("parley.msg.recent.reads")
        .description(
            "Reads of a conversation's newest entries, by what the recent-entries cache could do")
        .tag("result", result)
        .register(meters);
  }

  /**
   * Starts looking up the newest {@code depth} entries of conversations (before the table is read).
   */
  public RecentEntries.Lookup lookup(int depth, long... conversationIds) {
    return cache.lookup(conversationIds, depth);
  }

  /**
   * The newest {@code limit} entries with first <= seq <= to, newest first, and whether older ones
   * exist in that range.
   *
   * @param conv the conversation row read for this request: its last_seq decides what is current
   */
  public RecentSnapshot.Page page(
      Handle h, RecentEntries.Lookup lookup, ConversationRow conv, long first, long to, int limit) {
    long id = conv.conversationId();
    if (cache.enabled()) {
      Cached cached = lookup.get(id);
      switch (cached.status()) {
        case FAILED -> failed.increment();
        case FOUND -> {
          RecentSnapshot snapshot =
              Objects.requireNonNull(cached.snapshot(), "FOUND has a snapshot");
          if (snapshot.validAt(conv.lastSeq())) {
            Optional<RecentSnapshot.Page> page = snapshot.page(first, to, limit, notBefore());
            if (page.isPresent()) {
              hit.increment();
              return page.get();
            }
            shallow.increment();
            // A list started by a single entry (after a recall, or for a conversation nobody read)
            // is
            // filled up; a full one stays as it is (the page is larger than the cache).
            if (snapshot.newestFirst().size() < Math.min(limit + 1, size))
              return refill(h, id, first, to, limit);
          } else {
            stale.increment();
            return refill(h, id, first, to, limit);
          }
        }
        case ABSENT -> {
          miss.increment();
          return refill(h, id, first, to, limit);
        }
      }
    }
    return table(h, id, first, to, limit);
  }

  /** The newest entry with first <= seq <= to, or null; see {@link #page}. */
  public @Nullable Entry last(
      Handle h, RecentEntries.Lookup lookup, ConversationRow conv, long first, long to) {
    long id = conv.conversationId();
    boolean refill = false;
    if (cache.enabled()) {
      Cached cached = lookup.get(id);
      switch (cached.status()) {
        case FAILED -> failed.increment();
        case FOUND -> {
          RecentSnapshot snapshot =
              Objects.requireNonNull(cached.snapshot(), "FOUND has a snapshot");
          if (snapshot.validAt(conv.lastSeq())) {
            Optional<List<Entry>> newest = snapshot.newest(first, to, 1, notBefore());
            if (newest.isPresent()) {
              hit.increment();
              return newest.get().isEmpty() ? null : newest.get().get(0);
            }
            shallow.increment();
          } else {
            stale.increment();
            refill = true;
          }
        }
        case ABSENT -> {
          miss.increment();
          refill = true;
        }
      }
    }
    List<Entry> found = entries.range(h, id, first, to, 1, false);
    Entry last = found.isEmpty() ? null : found.get(0);
    if (refill && last != null && last.seq() == conv.lastSeq()) {
      cache.store(new RecentSnapshot(id, List.of(last), seedBelow(last.seq())));
    }
    return last;
  }

  /**
   * Reads the newest rows in one statement (enough for the cache and for this page), refills the
   * cache with them and answers from them; the row statement of {@link #table} only when they
   * cannot answer (rows missing to retention).
   */
  private RecentSnapshot.Page refill(Handle h, long id, long first, long to, int limit) {
    int asked = Math.max(limit + 1, size + 1);
    Optional<RecentSnapshot> fresh =
        RecentSnapshot.ofTable(id, entries.range(h, id, 1, Long.MAX_VALUE, asked, false), asked);
    fresh.ifPresent(s -> cache.store(s.top(size)));
    return fresh
        .flatMap(s -> s.page(first, to, limit, null))
        .orElseGet(() -> table(h, id, first, to, limit));
  }

  private RecentSnapshot.Page table(Handle h, long id, long first, long to, int limit) {
    List<Entry> found = entries.range(h, id, first, to, limit + 1, false);
    boolean more = found.size() > limit;
    return new RecentSnapshot.Page(more ? found.subList(0, limit) : found, more);
  }

  /**
   * The update sink that keeps the cache up to date after each commit, then hands on to {@code
   * next}. Recalls and edits are the entries that change older ones (their target, the quotes in
   * its replies, earlier edits): the cached list is dropped for them (design.md 13).
   */
  public UpdateSink updating(UpdateSink next) {
    if (!cache.enabled()) return next;
    return new UpdateSink() {
      @Override
      public void appended(Appended appended) {
        Entry e = appended.entry();
        boolean changesOlder = e.kind() == EntryKind.RECALL || e.kind() == EntryKind.EDIT;
        cache.appended(e, changesOlder, seedBelow(e.seq()));
        next.appended(appended);
      }

      @Override
      public void published(List<FeedItem> items, long[] pts) {
        next.published(items, pts);
      }
    };
  }

  /**
   * What a lone entry knows about older ones: its predecessor exists unless retention deleted it.
   */
  private long seedBelow(long seq) {
    return historyRetention.isZero() ? seq - 1 : RecentSnapshot.UNKNOWN;
  }

  /** Entries created before this may be deleted by retention; null when retention is off. */
  private @Nullable Instant notBefore() {
    return historyRetention.isZero()
        ? null
        : clock.instant().minus(historyRetention).plus(CLOCK_SKEW);
  }
}
