package dev.parley.msg.core;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.feed.Feed;
import dev.parley.msg.feed.FeedKind;
import dev.parley.msg.feed.FeedRow;
import dev.parley.msg.store.Entries;
import dev.parley.msg.store.Entry;
import dev.parley.msg.store.Times;
import dev.parley.msg.store.Tx;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The read side of the update feed: the current position, the difference since a position, and each
 * device's acknowledged position.
 *
 * <p>A difference page must start exactly at pts + 1 and be contiguous, because the feed has no gaps;
 * anything else means rows were pruned (retention) or the client's pts is not from this feed, and the
 * answer is too_long: the client resynchronizes instead of silently missing updates.
 */
public final class SyncManager {
  private final Tx tx;
  private final Feed feed;
  private final Entries entries;
  private final ConversationList list;
  private final Clock clock;

  public SyncManager(Tx tx, Feed feed, Entries entries, ConversationList list, Clock clock) {
    this.tx = tx;
    this.feed = feed;
    this.entries = entries;
    this.list = list;
    this.clock = clock;
  }

  public record State(long pts, int totalUnread) {}

  public State state(Caller caller) {
    return tx.read(h -> new State(feed.head(h, caller.userId()).pts(), list.totalUnread(h, caller.userId())));
  }

  /**
   * @param rows feed rows in pts order
   * @param entries the entries the ENTRY rows point at, by "conversation:seq" (missing when deleted)
   */
  public record Difference(List<FeedRow> rows, Map<String, Entry> entries, long pts, boolean more, boolean tooLong) {
    public static String key(long conversationId, long seq) {
      return conversationId + ":" + seq;
    }
  }

  public Difference difference(Caller caller, long pts, int limit) {
    if (pts < 0) throw ParleyException.invalid("pts", "pts must not be negative");
    return tx.read(
        h -> {
          Feed.Head head = feed.head(h, caller.userId());
          if (pts > head.pts()) return tooLong(head);
          if (pts == head.pts()) return new Difference(List.of(), Map.of(), pts, false, false);
          List<FeedRow> rows = feed.after(h, caller.userId(), pts, limit);
          for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).pts() != pts + 1 + i) return tooLong(head);
          }
          if (rows.isEmpty()) return tooLong(head);
          long[] cs = rows.stream().filter(r -> r.kind() == FeedKind.ENTRY).mapToLong(FeedRow::conversationId).toArray();
          long[] ss = rows.stream().filter(r -> r.kind() == FeedKind.ENTRY).mapToLong(FeedRow::seq).toArray();
          Map<String, Entry> found = new HashMap<>();
          for (Entry e : entries.byKeys(h, cs, ss)) found.put(Difference.key(e.conversationId(), e.seq()), e);
          long last = rows.get(rows.size() - 1).pts();
          return new Difference(rows, found, last, last < head.pts(), false);
        });
  }

  private static Difference tooLong(Feed.Head head) {
    return new Difference(List.of(), Map.of(), head.pts(), false, true);
  }

  /** Records that a device has applied everything up to pts (never moves backwards). */
  public void ack(Caller caller, long pts) {
    if (pts < 0) throw ParleyException.invalid("pts", "pts must not be negative");
    tx.write(
        h ->
            h.createUpdate(
                    "INSERT INTO msg.device_cursors (session_id, user_id, acked_pts, updated_at) VALUES (:s, :u, :p, :at) "
                        + "ON CONFLICT (session_id) DO UPDATE SET acked_pts = greatest(msg.device_cursors.acked_pts, :p), updated_at = :at")
                .bind("s", caller.sessionId())
                .bind("u", caller.userId())
                .bind("p", Math.min(pts, feed.head(h, caller.userId()).pts()))
                .bind("at", Times.db(clock.instant()))
                .execute());
  }
}
