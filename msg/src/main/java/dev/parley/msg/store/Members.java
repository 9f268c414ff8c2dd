package dev.parley.msg.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Table access for msg.members. */
public final class Members {
  private static final String COLUMNS =
      "conversation_id, user_id, role, first_visible_seq, last_visible_seq, read_seq, joined_at, left_at";

  public Optional<MemberRow> find(Handle h, long conversationId, long userId) {
    return h.createQuery("SELECT " + COLUMNS + " FROM msg.members WHERE conversation_id = :c AND user_id = :u")
        .bind("c", conversationId)
        .bind("u", userId)
        .map((rs, ctx) -> row(rs))
        .findOne();
  }

  /** Current members, in ascending user id (the order feed rows are locked in). */
  public List<MemberRow> active(Handle h, long conversationId) {
    return h.createQuery(
            "SELECT " + COLUMNS + " FROM msg.members WHERE conversation_id = :c AND left_at IS NULL ORDER BY user_id")
        .bind("c", conversationId)
        .map((rs, ctx) -> row(rs))
        .list();
  }

  public long[] activeUserIds(Handle h, long conversationId) {
    return h.createQuery("SELECT user_id FROM msg.members WHERE conversation_id = :c AND left_at IS NULL ORDER BY user_id")
        .bind("c", conversationId)
        .mapTo(Long.class)
        .list()
        .stream()
        .mapToLong(Long::longValue)
        .toArray();
  }

  /**
   * The rows a batch of sends needs: every current member of the conversations, and the senders' rows
   * even if they left (to tell "closed" from "not found"). Ordered by conversation, then user id.
   */
  public List<MemberRow> forSends(Handle h, long[] conversationIds, long[] senderIds) {
    return h.createQuery(
            "SELECT " + COLUMNS + " FROM msg.members WHERE conversation_id = ANY(:cs) "
                + "AND (left_at IS NULL OR user_id = ANY(:senders)) ORDER BY conversation_id, user_id")
        .bindArray("cs", Long.class, (Object[]) boxed(conversationIds))
        .bindArray("senders", Long.class, (Object[]) boxed(senderIds))
        .map((rs, ctx) -> row(rs))
        .list();
  }

  /** Adds a member, or brings a former member back (their read marker is kept). */
  public void join(Handle h, long conversationId, long userId, int role, long firstVisibleSeq, Instant at) {
    h.createUpdate(
            "INSERT INTO msg.members (conversation_id, user_id, role, first_visible_seq, read_seq, joined_at) "
                + "VALUES (:c, :u, :role, :first, 0, :at) "
                + "ON CONFLICT (conversation_id, user_id) DO UPDATE SET role = :role, first_visible_seq = :first, "
                + "last_visible_seq = NULL, left_at = NULL, joined_at = :at")
        .bind("c", conversationId)
        .bind("u", userId)
        .bind("role", (short) role)
        .bind("first", firstVisibleSeq)
        .bind("at", Times.db(at))
        .execute();
  }

  /**
   * Adds group members (or brings former members back) who may read from {@code firstVisibleSeq} on.
   * Their read marker starts just before it (kept if a former member had read further), so history
   * they cannot see never counts as unread.
   */
  public void joinAll(Handle h, long conversationId, long[] userIds, int role, long firstVisibleSeq, Instant at) {
    if (userIds.length == 0) return;
    h.createUpdate(
            "INSERT INTO msg.members (conversation_id, user_id, role, first_visible_seq, read_seq, joined_at) "
                + "SELECT :c, u, :role, :first, :read, :at FROM unnest(:users) AS u ORDER BY u "
                + "ON CONFLICT (conversation_id, user_id) DO UPDATE SET role = :role, first_visible_seq = :first, "
                + "read_seq = greatest(msg.members.read_seq, :read), last_visible_seq = NULL, left_at = NULL, joined_at = :at")
        .bind("c", conversationId)
        .bindArray("users", Long.class, (Object[]) boxed(userIds))
        .bind("role", (short) role)
        .bind("first", firstVisibleSeq)
        .bind("read", firstVisibleSeq - 1)
        .bind("at", Times.db(at))
        .execute();
  }

  /** Ends every current membership of the conversation (disband); each keeps read access up to lastVisibleSeq. */
  public void leaveAll(Handle h, long conversationId, long lastVisibleSeq, Instant at) {
    h.createUpdate(
            "UPDATE msg.members SET last_visible_seq = :last, left_at = :at WHERE conversation_id = :c AND left_at IS NULL")
        .bind("last", lastVisibleSeq)
        .bind("at", Times.db(at))
        .bind("c", conversationId)
        .execute();
  }

  public void leave(Handle h, long conversationId, long userId, long lastVisibleSeq, Instant at) {
    h.createUpdate(
            "UPDATE msg.members SET last_visible_seq = :last, left_at = :at WHERE conversation_id = :c AND user_id = :u AND left_at IS NULL")
        .bind("last", lastVisibleSeq)
        .bind("at", Times.db(at))
        .bind("c", conversationId)
        .bind("u", userId)
        .execute();
  }

  public void setRole(Handle h, long conversationId, long userId, int role) {
    h.createUpdate("UPDATE msg.members SET role = :role WHERE conversation_id = :c AND user_id = :u")
        .bind("role", (short) role)
        .bind("c", conversationId)
        .bind("u", userId)
        .execute();
  }

  /** Moves the read marker forward only; returns the marker after the update (unchanged if seq was lower). */
  public long advanceRead(Handle h, long conversationId, long userId, long seq) {
    return h.createQuery(
            "UPDATE msg.members SET read_seq = greatest(read_seq, :seq) WHERE conversation_id = :c AND user_id = :u RETURNING read_seq")
        .bind("seq", seq)
        .bind("c", conversationId)
        .bind("u", userId)
        .mapTo(Long.class)
        .one();
  }

  /** {@link #advanceRead} for several (conversation, user) pairs at once; the pairs must be distinct. */
  public void advanceReadAll(Handle h, long[] conversationIds, long[] userIds, long[] seqs) {
    h.createUpdate(
            "UPDATE msg.members m SET read_seq = greatest(m.read_seq, v.seq) FROM unnest(:cs, :us, :seqs) AS v(c, u, seq) "
                + "WHERE m.conversation_id = v.c AND m.user_id = v.u")
        .bindArray("cs", Long.class, (Object[]) boxed(conversationIds))
        .bindArray("us", Long.class, (Object[]) boxed(userIds))
        .bindArray("seqs", Long.class, (Object[]) boxed(seqs))
        .execute();
  }

  private static Long[] boxed(long[] values) {
    Long[] out = new Long[values.length];
    for (int i = 0; i < values.length; i++) out[i] = values[i];
    return out;
  }

  static MemberRow row(ResultSet rs) throws SQLException {
    return new MemberRow(
        rs.getLong("conversation_id"),
        rs.getLong("user_id"),
        rs.getShort("role"),
        rs.getLong("first_visible_seq"),
        rs.getLong("last_visible_seq"),
        rs.getLong("read_seq"),
        Times.get(rs, "joined_at"),
        Times.get(rs, "left_at"));
  }
}
