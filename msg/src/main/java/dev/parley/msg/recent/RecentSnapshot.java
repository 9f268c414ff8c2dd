package dev.parley.msg.recent;

import dev.parley.msg.store.Entry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The newest entries of one conversation as they were when its head was {@link #headSeq()}: what
 * the cache holds (or the part of it that was fetched), or what the table returned for a refill.
 *
 * <p>Invariants: at least one entry; seqs descend by exactly one ({@code newestFirst[i].seq = head
 * - i}); {@code below} is the seq of the next older entry that existed when the snapshot was taken,
 * {@link #NONE} when there was none, {@link #UNKNOWN} when the taker did not look.
 *
 * <p>The snapshot answers a question about a seq range only when its entries prove the answer: it
 * holds enough entries of the range, or it reaches down to the range's start (or knows nothing lies
 * between). Whether the snapshot is still <em>current</em> is the caller's check ({@link
 * #validAt}), since only the caller knows the conversation's last_seq.
 *
 * @param below seq of the next older entry; {@link #NONE} or {@link #UNKNOWN}
 */
public record RecentSnapshot(long conversationId, List<Entry> newestFirst, long below) {
  /** {@code below}: no older entry existed. Seqs start at 1. */
  public static final long NONE = 0;

  /** {@code below}: whether older entries exist was not looked at. */
  public static final long UNKNOWN = -1;

  public RecentSnapshot {
    newestFirst = List.copyOf(newestFirst);
    if (newestFirst.isEmpty())
      throw new IllegalArgumentException("a snapshot holds at least one entry");
    long head = newestFirst.get(0).seq();
    for (int i = 0; i < newestFirst.size(); i++) {
      Entry e = newestFirst.get(i);
      if (e.seq() != head - i || e.conversationId() != conversationId) {
        throw new IllegalArgumentException(
            "entries of a snapshot are one conversation's, in descending seq without gaps");
      }
    }
    if (below < UNKNOWN || below >= head - newestFirst.size() + 1) {
      throw new IllegalArgumentException("below must be older than the oldest entry: " + below);
    }
  }

  /**
   * A snapshot of the table's newest rows: the longest run without gaps from the newest one. Rows
   * missing in the middle can only be ones deleted by retention; {@code below} is then the next row
   * after the gap.
   *
   * @param rows the newest rows of a conversation, newest first, as one statement returned them
   * @param asked the LIMIT of that statement: fewer rows mean there are no older ones
   * @return empty when there are no rows
   */
  public static Optional<RecentSnapshot> ofTable(long conversationId, List<Entry> rows, int asked) {
    if (rows.isEmpty()) return Optional.empty();
    int run = 1;
    while (run < rows.size() && rows.get(run).seq() == rows.get(run - 1).seq() - 1) run++;
    long below = run < rows.size() ? rows.get(run).seq() : rows.size() < asked ? NONE : UNKNOWN;
    return Optional.of(new RecentSnapshot(conversationId, rows.subList(0, run), below));
  }

  public long headSeq() {
    return newestFirst.get(0).seq();
  }

  public long oldestSeq() {
    return newestFirst.get(newestFirst.size() - 1).seq();
  }

  /**
   * The validity rule. Entries change after they are appended only by a recall, which appends an
   * entry too; so the log as of last_seq = n is fixed once n is reached, and a snapshot taken at
   * head n describes exactly the log of a reader who sees last_seq = n.
   */
  public boolean validAt(long lastSeq) {
    return headSeq() == lastSeq;
  }

  /** The newest {@code n} entries (n ≥ 1); {@code below} as the snapshot knows it. */
  public RecentSnapshot top(int n) {
    if (n >= newestFirst.size()) return this;
    return new RecentSnapshot(conversationId, newestFirst.subList(0, n), newestFirst.get(n).seq());
  }

  /**
   * The newest {@code count} entries with {@code first <= seq <= to}, newest first (fewer if the
   * range has fewer), if this snapshot proves them.
   *
   * @param notBefore entries created earlier may already be deleted by retention: such an answer is
   *     refused; null when nothing is deleted
   */
  public Optional<List<Entry>> newest(long first, long to, int count, @Nullable Instant notBefore) {
    if (count < 1) throw new IllegalArgumentException("count must be positive");
    if (first > to) return Optional.of(List.of());
    if (to > headSeq()) return Optional.empty();
    List<Entry> found = new ArrayList<>(Math.min(count, newestFirst.size()));
    long lowest = Math.max(first, oldestSeq());
    for (long seq = to; seq >= lowest && found.size() < count; seq--)
      found.add(newestFirst.get((int) (headSeq() - seq)));
    if (found.size() < count && !coversDownTo(first)) return Optional.empty();
    if (notBefore != null) {
      for (Entry e : found) if (e.createdAt().isBefore(notBefore)) return Optional.empty();
    }
    return Optional.of(found);
  }

  /**
   * A page of history: the newest {@code limit} entries of the range and whether older ones exist
   * in it.
   */
  public record Page(List<Entry> entries, boolean more) {}

  /**
   * The newest page of [first, to], if this snapshot proves it; see {@link #newest(long, long, int,
   * Instant)}.
   */
  public Optional<Page> page(long first, long to, int limit, @Nullable Instant notBefore) {
    Optional<List<Entry>> withNext = newest(first, to, limit + 1, notBefore);
    if (withNext.isPresent()) {
      List<Entry> found = withNext.get();
      return Optional.of(
          found.size() > limit ? new Page(found.subList(0, limit), true) : new Page(found, false));
    }
    // A full page that ends at the oldest entry held: the one below it is the next in the range.
    if (below != NONE && below != UNKNOWN && below >= first) {
      Optional<List<Entry>> full = newest(first, to, limit, notBefore);
      if (full.isPresent() && full.get().size() == limit)
        return Optional.of(new Page(full.get(), true));
    }
    return Optional.empty();
  }

  /** Every entry with seq >= first is held, or known not to exist. */
  private boolean coversDownTo(long first) {
    return oldestSeq() <= first || below == NONE || (below != UNKNOWN && below < first);
  }
}
