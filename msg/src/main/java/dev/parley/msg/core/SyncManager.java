package dev.parley.msg.core;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.feed.FeedKind;
import dev.parley.msg.feed.FeedPayload;
import dev.parley.msg.feed.FeedRow;
import dev.parley.msg.settings.ChatStates;
import dev.parley.msg.settings.Draft;
import dev.parley.msg.store.DeviceCursors;
import dev.parley.msg.store.Entries;
import dev.parley.msg.store.Entry;
import dev.parley.msg.store.Feed;
import dev.parley.msg.store.Tx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The read side of the update feed: the current position, the difference since a position, and each
 * device's acknowledged position.
 *
 * <p>Positions increase per user and may have holes (rows deleted by retention below min_pts, and
 * by the version 2 migration: design.md 8.11). A difference therefore answers the rows after the
 * asked position whatever their numbers, and decides "too long" by min_pts alone: it is read in the
 * same statement (snapshot) as the rows, and pruning raises it in the same transaction as it
 * deletes, so a position below it may have lost rows and the client must resynchronize instead of
 * silently missing updates. A difference costs two round trips: the head with the rows, then their
 * entries.
 */
public final class SyncManager {
  private final Tx tx;
  private final Feed feed;
  private final Entries entries;
  private final DeviceCursors cursors;
  private final ConversationList list;
  private final ChatStates chatStates;
  private final Clock clock;

  public SyncManager(
      Tx tx,
      Feed feed,
      Entries entries,
      DeviceCursors cursors,
      ConversationList list,
      ChatStates chatStates,
      Clock clock) {
    this.tx = tx;
    this.feed = feed;
    this.entries = entries;
    this.cursors = cursors;
    this.list = list;
    this.chatStates = chatStates;
    this.clock = clock;
  }

  public record State(long pts, int totalUnread) {}

  public State state(Caller caller) {
    return tx.read(
        h -> new State(feed.head(h, caller.userId()).pts(), list.totalUnread(h, caller.userId())));
  }

  /**
   * @param rows feed rows in pts order
   * @param entries the entries the ENTRY rows point at, by "conversation:seq" (missing when
   *     deleted)
   */
  public record Difference(
      List<FeedRow> rows, Map<String, Entry> entries, long pts, boolean more, boolean tooLong) {
    public static String key(long conversationId, long seq) {
      return conversationId + ":" + seq;
    }
  }

  public Difference difference(Caller caller, long pts, int limit) {
    if (pts < 0) throw ParleyException.invalid("pts", "pts must not be negative");
    return tx.read(
        h -> {
          Feed.Page page = feed.after(h, caller.userId(), pts, limit);
          Feed.Head head = page.head();
          if (pts > head.pts()) return tooLong(head);
          if (pts == head.pts()) return new Difference(List.of(), Map.of(), pts, false, false);
          // Rows after pts may have been pruned: min_pts says so (read in the rows' snapshot).
          if (pts + 1 < head.minPts()) return tooLong(head);
          List<FeedRow> rows = withDrafts(h, caller.userId(), page.rows());
          // No rows up to the head: they were deleted (holes); everything up to the head is
          // covered.
          if (rows.isEmpty()) return new Difference(List.of(), Map.of(), head.pts(), false, false);
          long[] cs =
              rows.stream()
                  .filter(r -> r.kind() == FeedKind.ENTRY)
                  .mapToLong(FeedRow::conversationId)
                  .toArray();
          long[] ss =
              rows.stream()
                  .filter(r -> r.kind() == FeedKind.ENTRY)
                  .mapToLong(FeedRow::seq)
                  .toArray();
          Map<String, Entry> found = new HashMap<>();
          for (Entry e : entries.byKeys(h, cs, ss))
            found.put(Difference.key(e.conversationId(), e.seq()), e);
          long last = rows.get(rows.size() - 1).pts();
          // A short page holds every row up to the head.
          if (rows.size() < limit)
            return new Difference(rows, found, Math.max(last, head.pts()), false, false);
          return new Difference(rows, found, last, last < head.pts(), false);
        });
  }

  /**
   * The rows with the drafts their chat states had, read from msg.chat_state: a feed row never
   * holds a draft's text (design.md 13.3). An older row gets the current draft, which is what the
   * newest row of that conversation (replacing the state whole) leaves on the device anyway.
   */
  private List<FeedRow> withDrafts(org.jdbi.v3.core.Handle h, long userId, List<FeedRow> rows) {
    List<FeedRow> out = new ArrayList<>(rows.size());
    // One read per conversation, however many of its rows the page holds.
    Map<Long, java.util.Optional<Draft>> drafts = new HashMap<>();
    for (FeedRow r : rows) {
      if (r.payload() instanceof FeedPayload.ChatStateChanged c && c.draftInTable()) {
        Draft draft =
            drafts
                .computeIfAbsent(
                    c.conversationId(),
                    id -> java.util.Optional.ofNullable(chatStates.find(h, userId, id).draft()))
                .orElse(null);
        r =
            new FeedRow(
                r.pts(),
                r.kind(),
                r.conversationId(),
                r.seq(),
                r.otherUserId(),
                new FeedPayload.ChatStateChanged(c.conversationId(), c.state().withDraft(draft)));
      }
      out.add(r);
    }
    return out;
  }

  private static Difference tooLong(Feed.Head head) {
    return new Difference(List.of(), Map.of(), head.pts(), false, true);
  }

  /**
   * Records that a device has applied everything up to pts (never moves backwards, capped at the
   * head).
   */
  public void ack(Caller caller, long pts) {
    if (pts < 0) throw ParleyException.invalid("pts", "pts must not be negative");
    tx.write(
        h -> {
          cursors.advance(
              h,
              caller.sessionId(),
              caller.userId(),
              Math.min(pts, feed.head(h, caller.userId()).pts()),
              clock.instant());
          return null;
        });
  }
}
