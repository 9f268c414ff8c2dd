package dev.parley.msg.store;

import dev.parley.msg.feed.FeedItem;
import dev.parley.msg.feed.FeedKind;
import dev.parley.msg.feed.FeedRow;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The per-user update feeds (msg.feed_heads, msg.feed).
 *
 * <p><b>Invariant: per user, positions increase, and a position becomes visible only after every
 * smaller position of that user is visible.</b> Positions are taken from the user's feed_heads row
 * while holding its row lock until commit: a transaction that got pts n commits before any transaction
 * can read the head and take n + 1. A reader that has applied everything up to p can therefore never
 * later discover a committed position below p. New positions are consecutive; holes exist where rows
 * were deleted (retention below min_pts, and the version 2 migration: design.md 8.11).
 *
 * <p>Locks: {@link #append} locks feed_heads rows in ascending user id. Callers must take their own
 * locks (conversation row, member rows) before calling it, never after, so that all writers lock in
 * one order.
 *
 * <p>Pruning (retention) raises the user's min_pts in the same transaction that deletes the rows, so a
 * reader that reads min_pts after the rows knows whether anything after its position may be gone.
 */
public final class Feed {

  /** The head of one user's feed. */
  public record Head(long pts, long minPts) {}

  /**
   * Appends the items inside the caller's transaction and returns the pts of each, in input order. A
   * user may receive several items; they get consecutive positions in input order.
   */
  public long[] append(Handle h, List<FeedItem> items, Instant now) {
    if (items.isEmpty()) return new long[0];
    TreeMap<Long, Integer> counts = new TreeMap<>();
    for (FeedItem item : items) counts.merge(item.userId(), 1, Integer::sum);
    Long[] users = counts.keySet().toArray(Long[]::new);
    Integer[] increments = counts.values().toArray(Integer[]::new);

    // One statement moves every head and returns the new ones. Rows are inserted (or, on conflict,
    // locked and updated) in the SELECT's order, ascending user id: the lock order of the invariant.
    Map<Long, Long> next = new HashMap<>();
    h.createQuery(
            "INSERT INTO msg.feed_heads AS h (user_id, pts) SELECT c.user_id, c.n FROM unnest(:users, :ns) AS c(user_id, n) "
                + "ORDER BY c.user_id ON CONFLICT (user_id) DO UPDATE SET pts = h.pts + excluded.pts RETURNING h.user_id, h.pts")
        .bindArray("users", Long.class, (Object[]) users)
        .bindArray("ns", Integer.class, (Object[]) increments)
        .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getLong(2)))
        .forEach(e -> next.put(e.getKey(), e.getValue() - counts.get(e.getKey())));

    OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
    long[] pts = new long[items.size()];
    PreparedBatch batch =
        h.prepareBatch(
            "INSERT INTO msg.feed (user_id, pts, kind, conversation_id, seq, other_user_id, payload, created_at) "
                + "VALUES (:user, :pts, :kind, :conversation, :seq, :other, :payload, :at)");
    for (int i = 0; i < items.size(); i++) {
      FeedItem item = items.get(i);
      long p = next.merge(item.userId(), 1L, Long::sum);
      pts[i] = p;
      batch
          .bind("user", item.userId())
          .bind("pts", p)
          .bind("kind", item.kind().code)
          .bind("conversation", item.conversationId() == 0 ? null : item.conversationId())
          .bind("seq", item.seq() == 0 ? null : item.seq())
          .bind("other", item.otherUserId() == 0 ? null : item.otherUserId())
          .bind("payload", FeedPayloads.encode(item.payload()))
          .bind("at", at)
          .add();
    }
    batch.execute();
    return pts;
  }

  public Head head(Handle h, long userId) {
    return h.createQuery("SELECT pts, min_pts FROM msg.feed_heads WHERE user_id = :u")
        .bind("u", userId)
        .map((rs, ctx) -> new Head(rs.getLong(1), rs.getLong(2)))
        .findOne()
        .orElse(new Head(0, 1));
  }

  /** Up to {@code limit} rows after {@code pts}, in pts order. */
  public List<FeedRow> after(Handle h, long userId, long pts, int limit) {
    return h.createQuery(
            "SELECT pts, kind, conversation_id, seq, other_user_id, payload FROM msg.feed "
                + "WHERE user_id = :u AND pts > :p ORDER BY pts LIMIT :limit")
        .bind("u", userId)
        .bind("p", pts)
        .bind("limit", limit)
        .map(
            (rs, ctx) -> {
              FeedKind kind = FeedKind.of(rs.getShort(2));
              return new FeedRow(
                  rs.getLong(1),
                  kind,
                  rs.getLong(3),
                  rs.getLong(4),
                  rs.getLong(5),
                  FeedPayloads.decode(kind, rs.getBytes(6), rs.getLong(3), rs.getLong(4)));
            })
        .list();
  }

  /**
   * Deletes feed rows created before {@code cutoff}, at most {@code batch} per call, and raises each
   * affected user's min_pts past them. Returns the number of rows deleted.
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
    h.createQuery("SELECT user_id FROM msg.feed_heads WHERE user_id = ANY(:users) ORDER BY user_id FOR UPDATE")
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
