package dev.parley.msg.store;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;

/**
 * Table access for msg.pins (design.md 13.5): one row per pinned message, with the seq of the PIN
 * entry that pinned it. Rows are written in the log writer's transaction with the PIN entry that
 * announces them, and deleted with the unpin entry or in the transaction that recalls their
 * message; the list of pinned messages is always read from them.
 */
public final class Pins {

  /** A pinned message: {@code seq} was pinned by {@code pinnedBy} with the entry {@code pinSeq}. */
  public record Row(long conversationId, long seq, long pinSeq, long pinnedBy, Instant pinnedAt) {}

  /** The seqs of the pinned messages of each named conversation; one round trip. */
  public Map<Long, Set<Long>> load(Handle h, long[] conversationIds) {
    Map<Long, Set<Long>> out = new HashMap<>();
    for (long c : conversationIds) out.put(c, new TreeSet<>());
    if (conversationIds.length == 0) return out;
    h.createQuery("SELECT conversation_id, seq FROM msg.pins WHERE conversation_id = ANY(:cs)")
        .bindArray("cs", Long.class, (Object[]) Times.boxed(conversationIds))
        .map(
            (rs, ctx) ->
                Objects.requireNonNull(out.get(rs.getLong("conversation_id")))
                    .add(rs.getLong("seq")))
        .list();
    return out;
  }

  /**
   * Deletes the rows of (conversationIds[i], seqs[i]) (unpinned, recalled, or about to be pinned
   * again), then inserts {@code added}: up to two statements.
   */
  public void replace(Handle h, long[] conversationIds, long[] seqs, List<Row> added) {
    delete(h, conversationIds, seqs);
    if (added.isEmpty()) return;
    h.createUpdate(
            "INSERT INTO msg.pins (conversation_id, seq, pin_seq, pinned_by, pinned_at) "
                + "SELECT c, s, p, u, :at FROM unnest(:cs, :ss, :ps, :us) AS k(c, s, p, u)")
        // One batch shares one time (the log writer's now).
        .bind("at", Times.db(added.get(0).pinnedAt()))
        .bindArray("cs", Long.class, column(added, Row::conversationId))
        .bindArray("ss", Long.class, column(added, Row::seq))
        .bindArray("ps", Long.class, column(added, Row::pinSeq))
        .bindArray("us", Long.class, column(added, Row::pinnedBy))
        .execute();
  }

  /** Deletes the rows of (conversationIds[i], seqs[i]), if any. */
  public void delete(Handle h, long[] conversationIds, long[] seqs) {
    if (conversationIds.length == 0) return;
    h.createUpdate(
            "DELETE FROM msg.pins p USING unnest(:cs, :ss) AS k(c, s) "
                + "WHERE p.conversation_id = k.c AND p.seq = k.s")
        .bindArray("cs", Long.class, (Object[]) Times.boxed(conversationIds))
        .bindArray("ss", Long.class, (Object[]) Times.boxed(seqs))
        .execute();
  }

  /**
   * The pins of {@code conversationId} on messages in {@code fromSeq..toSeq} with a pin entry
   * before {@code beforePinSeq} (0: any), most recently pinned first; at most {@code limit}.
   */
  public List<Row> page(
      Handle h, long conversationId, long fromSeq, long toSeq, long beforePinSeq, int limit) {
    return h.createQuery(
            "SELECT seq, pin_seq, pinned_by, pinned_at FROM msg.pins "
                + "WHERE conversation_id = :c AND seq BETWEEN :from AND :to "
                + (beforePinSeq == 0 ? "" : "AND pin_seq < :before ")
                + "ORDER BY pin_seq DESC LIMIT :limit")
        .bind("c", conversationId)
        .bind("from", fromSeq)
        .bind("to", toSeq)
        .bind("before", beforePinSeq)
        .bind("limit", limit)
        .map(
            (rs, ctx) ->
                new Row(
                    conversationId,
                    rs.getLong("seq"),
                    rs.getLong("pin_seq"),
                    rs.getLong("pinned_by"),
                    Objects.requireNonNull(Times.get(rs, "pinned_at"))))
        .list();
  }

  private static Object[] column(List<Row> rows, java.util.function.ToLongFunction<Row> f) {
    return Times.boxed(rows.stream().mapToLong(f).toArray());
  }
}
