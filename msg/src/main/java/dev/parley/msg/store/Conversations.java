package dev.parley.msg.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Table access for msg.conversations and msg.direct_pairs. */
public final class Conversations {
  private static final String COLUMNS =
      "conversation_id, type, title, owner_id, last_seq, member_count, created_at, last_activity_at, disbanded_at";

  /**
   * Locks the conversation row until the transaction ends. This is the first lock any writer of a
   * conversation takes (see Feed for the lock order).
   */
  public Optional<ConversationRow> lock(Handle h, long conversationId) {
    return h.createQuery("SELECT " + COLUMNS + " FROM msg.conversations WHERE conversation_id = :id FOR UPDATE")
        .bind("id", conversationId)
        .map((rs, ctx) -> row(rs))
        .findOne();
  }

  /**
   * Locks several conversation rows in ascending id (the order every multi-conversation writer uses)
   * and returns the ones that exist.
   */
  public Map<Long, ConversationRow> lockAll(Handle h, long[] conversationIds) {
    Map<Long, ConversationRow> rows = new HashMap<>();
    h.createQuery("SELECT " + COLUMNS + " FROM msg.conversations WHERE conversation_id = ANY(:ids) ORDER BY conversation_id FOR UPDATE")
        .bindArray("ids", Long.class, (Object[]) boxed(conversationIds))
        .map((rs, ctx) -> row(rs))
        .forEach(row -> rows.put(row.conversationId(), row));
    return rows;
  }

  public Optional<ConversationRow> find(Handle h, long conversationId) {
    return h.createQuery("SELECT " + COLUMNS + " FROM msg.conversations WHERE conversation_id = :id")
        .bind("id", conversationId)
        .map((rs, ctx) -> row(rs))
        .findOne();
  }

  public void insert(Handle h, long id, int type, String title, long ownerId, int memberCount, Instant now) {
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
    return h.createQuery("SELECT conversation_id FROM msg.direct_pairs WHERE user_lo = :lo AND user_hi = :hi")
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

  /** Moves the log head after an append (the row is locked). */
  public void advance(Handle h, long conversationId, long lastSeq, Instant at) {
    h.createUpdate("UPDATE msg.conversations SET last_seq = :seq, last_activity_at = :at WHERE conversation_id = :id")
        .bind("seq", lastSeq)
        .bind("at", Times.db(at))
        .bind("id", conversationId)
        .execute();
  }

  /** {@link #advance} for several locked conversations: ids[i] moves to lastSeqs[i]. */
  public void advanceAll(Handle h, long[] ids, long[] lastSeqs, Instant at) {
    h.createUpdate(
            "UPDATE msg.conversations c SET last_seq = v.seq, last_activity_at = :at "
                + "FROM unnest(:ids, :seqs) AS v(id, seq) WHERE c.conversation_id = v.id")
        .bindArray("ids", Long.class, (Object[]) boxed(ids))
        .bindArray("seqs", Long.class, (Object[]) boxed(lastSeqs))
        .bind("at", Times.db(at))
        .execute();
  }

  static Long[] boxed(long[] values) {
    Long[] out = new Long[values.length];
    for (int i = 0; i < values.length; i++) out[i] = values[i];
    return out;
  }

  public void setMemberCount(Handle h, long conversationId, int count) {
    h.createUpdate("UPDATE msg.conversations SET member_count = :n WHERE conversation_id = :id")
        .bind("n", count)
        .bind("id", conversationId)
        .execute();
  }

  public void setTitle(Handle h, long conversationId, String title) {
    h.createUpdate("UPDATE msg.conversations SET title = :t WHERE conversation_id = :id")
        .bind("t", title)
        .bind("id", conversationId)
        .execute();
  }

  public void setOwner(Handle h, long conversationId, long ownerId) {
    h.createUpdate("UPDATE msg.conversations SET owner_id = :o WHERE conversation_id = :id")
        .bind("o", ownerId)
        .bind("id", conversationId)
        .execute();
  }

  public void disband(Handle h, long conversationId, Instant at) {
    h.createUpdate("UPDATE msg.conversations SET disbanded_at = :at, member_count = 0 WHERE conversation_id = :id")
        .bind("at", Times.db(at))
        .bind("id", conversationId)
        .execute();
  }

  static ConversationRow row(ResultSet rs) throws SQLException {
    return new ConversationRow(
        rs.getLong("conversation_id"),
        rs.getShort("type"),
        rs.getString("title"),
        rs.getLong("owner_id"),
        rs.getLong("last_seq"),
        rs.getInt("member_count"),
        Times.get(rs, "created_at"),
        Times.get(rs, "last_activity_at"),
        Times.get(rs, "disbanded_at"));
  }
}
