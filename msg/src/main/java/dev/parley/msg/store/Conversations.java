package dev.parley.msg.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/** Table access for msg.conversations and msg.direct_pairs. */
public final class Conversations {
  private static final String COLUMNS =
      "conversation_id, type, title, owner_id, last_seq, member_count, created_at, last_activity_at, disbanded_at";

  /**
   * Locks the conversation row until the transaction ends. This is the first lock any writer of a
   * conversation takes (see Feed for the lock order).
   */
  public Optional<ConversationRow> lock(Handle h, long conversationId) {
    return h.createQuery(
            "SELECT " + COLUMNS + " FROM msg.conversations WHERE conversation_id = :id FOR UPDATE")
        .bind("id", conversationId)
        .map((rs, ctx) -> row(rs))
        .findOne();
  }

  public Optional<ConversationRow> find(Handle h, long conversationId) {
    return h.createQuery(
            "SELECT " + COLUMNS + " FROM msg.conversations WHERE conversation_id = :id")
        .bind("id", conversationId)
        .map((rs, ctx) -> row(rs))
        .findOne();
  }

  public void insert(
      Handle h,
      long id,
      int type,
      @Nullable String title,
      long ownerId,
      int memberCount,
      Instant now) {
    h.createUpdate(
            "INSERT INTO msg.conversations (conversation_id, type, title, owner_id, last_seq, member_count, created_at, last_activity_at) "
                + "VALUES (:id, :type, :title, :owner, 0, :members, :now, :now)")
        .bind("id", id)
        .bind("type", (short) type)
        .bind("title", title)
        .bind("owner", ownerId == 0 ? null : ownerId)
        .bind("members", memberCount)
        .bind("now", Times.db(now))
        .execute();
  }

  /** The one-to-one conversation of two users, if it exists. */
  public Optional<Long> direct(Handle h, long a, long b) {
    return h.createQuery(
            "SELECT conversation_id FROM msg.direct_pairs WHERE user_lo = :lo AND user_hi = :hi")
        .bind("lo", Math.min(a, b))
        .bind("hi", Math.max(a, b))
        .mapTo(Long.class)
        .findOne();
  }

  /** Registers the pair's conversation; false when another transaction registered one first. */
  public boolean insertDirectPair(Handle h, long a, long b, long conversationId) {
    return h.createUpdate(
                "INSERT INTO msg.direct_pairs (user_lo, user_hi, conversation_id) VALUES (:lo, :hi, :id) ON CONFLICT DO NOTHING")
            .bind("lo", Math.min(a, b))
            .bind("hi", Math.max(a, b))
            .bind("id", conversationId)
            .execute()
        == 1;
  }

  /**
   * The direct conversations of pairs (as, bs)[i], keyed by "lo:hi"; pairs without one are left
   * out.
   */
  public Map<String, Long> directs(Handle h, long[] as, long[] bs) {
    Map<String, Long> found = new HashMap<>();
    if (as.length == 0) return found;
    Long[] los = new Long[as.length];
    Long[] his = new Long[as.length];
    for (int i = 0; i < as.length; i++) {
      los[i] = Math.min(as[i], bs[i]);
      his[i] = Math.max(as[i], bs[i]);
    }
    h.createQuery(
            "SELECT p.user_lo, p.user_hi, p.conversation_id FROM unnest(:los, :his) AS k(lo, hi) "
                + "JOIN msg.direct_pairs p ON p.user_lo = k.lo AND p.user_hi = k.hi")
        .bindArray("los", Long.class, (Object[]) los)
        .bindArray("his", Long.class, (Object[]) his)
        .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)})
        .forEach(r -> found.put(pairKey(r[0], r[1]), r[2]));
    return found;
  }

  public static String pairKey(long a, long b) {
    return Math.min(a, b) + ":" + Math.max(a, b);
  }

  static ConversationRow row(ResultSet rs) throws SQLException {
    return new ConversationRow(
        rs.getLong("conversation_id"),
        rs.getShort("type"),
        rs.getString("title"),
        rs.getLong("owner_id"),
        rs.getLong("last_seq"),
        rs.getInt("member_count"),
        Objects.requireNonNull(Times.get(rs, "created_at")),
        Objects.requireNonNull(Times.get(rs, "last_activity_at")),
        Times.get(rs, "disbanded_at"));
  }
}
