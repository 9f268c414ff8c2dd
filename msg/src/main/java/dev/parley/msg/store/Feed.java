package dev.parley.msg.store;

import dev.parley.msg.feed.FeedItem;
import dev.parley.msg.feed.FeedKind;
import dev.parley.msg.feed.FeedRow;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * The per-user update feeds (msg.feed_heads, msg.feed).
 *
 * <p><b>Invariant: per user, positions increase, and a position becomes visible only after every
 * smaller position of that user is visible.</b> Positions are taken from the user's feed_heads row
 * while holding its row lock until commit: a transaction that got pts n commits before any
 * transaction can read the head and take n + 1. A reader that has applied everything up to p can
 * therefore never later discover a committed position below p. New positions are consecutive; holes
 * exist where rows were deleted (retention below min_pts, and the version 2 migration: design.md
 * 8.11).
 *
 * <p>Locks: {@link #append} locks feed_heads rows in ascending user id. Callers must take their own
 * locks (conversation row, member rows) before calling it, never after, so that all writers lock in
 * one order.
 *
 * <p>Pruning (retention) raises the user's min_pts in the same transaction that deletes the rows,
 * so a reader that reads min_pts after the rows knows whether anything after its position may be
 * gone.
 */
public final class Feed {

  /** The head of one user's feed. */
  public record Head(long pts, long minPts) {}

  /**
   * Appends the items inside the caller's transaction and returns the pts of each, in input order.
   * A user may receive several items; they get consecutive positions in input order.
   */
  public long[] append(Handle h, List<FeedItem> items, Instant now) {
    if (items.isEmpty()) return new long[0];
    Items feed = Items.of(items);
    int n = items.size();
    // One round trip: msg.append_feed (migration V4) moves every head in ascending user id (the
    // lock
    // order of the invariant), numbers each user's items from the old head in input order, stores
    // them
    // and answers each item's pts in input order.
    long[] pts = new long[n];
    int[] next = {0};
    h.createQuery(
            "SELECT item_pts FROM msg.append_feed(:users, :kinds, :convs, :seqs, :others, :payloads, :at)")
        .bindArray("users", Long.class, (Object[]) feed.users())
        .bindArray("kinds", Short.class, (Object[]) feed.kinds())
        .bindArray("convs", Long.class, (Object[]) feed.conversations())
        .bindArray("seqs", Long.class, (Object[]) feed.seqs())
        .bindArray("others", Long.class, (Object[]) feed.others())
        .bind("payloads", BatchStatements.bytea(h, feed.payloads()))
        .bind("at", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
        .mapTo(Long.class)
        .forEach(p -> pts[next[0]++] = p);
    return pts;
  }

  /** Feed items as the parallel arrays the statements take (0 ids as NULL), payloads serialized. */
  record Items(
      Long[] users,
      Short[] kinds,
      Long[] conversations,
      Long[] seqs,
      Long[] others,
      byte[][] payloads) {
    static Items of(List<FeedItem> items) {
      int n = items.size();
      Items out =
          new Items(
              new Long[n], new Short[n], new Long[n], new Long[n], new Long[n], new byte[n][]);
      for (int i = 0; i < n; i++) {
        FeedItem item = items.get(i);
        out.users[i] = item.userId();
        out.kinds[i] = item.kind().code;
        out.conversations[i] = item.conversationId() == 0 ? null : item.conversationId();
        out.seqs[i] = item.seq() == 0 ? null : item.seq();
        out.others[i] = item.otherUserId() == 0 ? null : item.otherUserId();
        out.payloads[i] = FeedPayloads.encode(item.payload());
      }
      return out;
    }
  }

  public Head head(Handle h, long userId) {
    return h.createQuery("SELECT pts, min_pts FROM msg.feed_heads WHERE user_id = :u")
        .bind("u", userId)
        .map((rs, ctx) -> new Head(rs.getLong(1), rs.getLong(2)))
        .findOne()
        .orElse(new Head(0, 1));
  }

  /** The user's head, and up to {@code limit} rows after a position, read in one snapshot. */
  public record Page(Head head, List<FeedRow> rows) {}

  /**
   * The head (pts and min_pts) and up to {@code limit} rows after {@code pts}, in pts order, in one
   * statement: one snapshot, so the rows and min_pts agree (pruning deletes rows and raises min_pts
   * in one transaction), and rows up to the head are all there.
   */
  public Page after(Handle h, long userId, long pts, int limit) {
    Head[] head = {new Head(0, 1)};
    List<FeedRow> rows = new ArrayList<>();
    h.createQuery(
            "SELECT hd.pts AS head, hd.min_pts, f.pts, f.kind, f.conversation_id, f.seq, f.other_user_id, f.payload "
                + "FROM msg.feed_heads hd LEFT JOIN LATERAL (SELECT * FROM msg.feed WHERE user_id = hd.user_id AND pts > :p "
                + "ORDER BY pts LIMIT :limit) f ON true WHERE hd.user_id = :u ORDER BY f.pts")
        .bind("u", userId)
        .bind("p", pts)
        .bind("limit", limit)
        .map(
            (rs, ctx) -> {
              head[0] = new Head(rs.getLong(1), rs.getLong(2));
              if (rs.getObject(3) == null) return null;
              FeedKind kind = FeedKind.of(rs.getShort(4));
              return new FeedRow(
                  rs.getLong(3),
                  kind,
                  rs.getLong(5),
                  rs.getLong(6),
                  rs.getLong(7),
                  FeedPayloads.decode(kind, rs.getBytes(8), rs.getLong(5), rs.getLong(6)));
            })
        .forEach(
            row -> {
              if (row != null) rows.add(row);
            });
    return new Page(head[0], rows);
  }

  /**
   * Deletes feed rows created before {@code cutoff}, at most {@code batch} per call, and raises
   * each affected user's min_pts past them. Returns the number of rows deleted.
   */
  public int prune(Handle h, Instant cutoff, int batch) {
    List<long[]> gone =
        h.createQuery(
                "DELETE FROM msg.feed WHERE (user_id, pts) IN "
                    + "(SELECT user_id, pts FROM msg.feed WHERE created_at < :cutoff LIMIT :batch) RETURNING user_id, pts")
            .bind("cutoff", OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC))
            .bind("batch", batch)
            .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
            .list();
    TreeMap<Long, Long> maxPts = new TreeMap<>();
    for (long[] row : gone) maxPts.merge(row[0], row[1], Math::max);
    if (maxPts.isEmpty()) return 0;
    List<Long> users = new ArrayList<>(maxPts.keySet());
    h.createQuery(
            "SELECT user_id FROM msg.feed_heads WHERE user_id = ANY(:users) ORDER BY user_id FOR UPDATE")
        .bindArray("users", Long.class, users.toArray())
        .mapTo(Long.class)
        .list();
    h.createUpdate(
            "UPDATE msg.feed_heads h SET min_pts = greatest(h.min_pts, c.max_pts + 1) "
                + "FROM unnest(:users, :maxes) AS c(user_id, max_pts) WHERE h.user_id = c.user_id")
        .bindArray("users", Long.class, users.toArray())
        .bindArray("maxes", Long.class, maxPts.values().toArray())
        .execute();
    return gone.size();
  }
}
