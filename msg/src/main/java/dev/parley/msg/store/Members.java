package dev.parley.msg.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
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

  /** Current members, in ascending user id. */
  public List<MemberRow> active(Handle h, long conversationId) {
    return h.createQuery(
            "SELECT " + COLUMNS + " FROM msg.members WHERE conversation_id = :c AND left_at IS NULL ORDER BY user_id")
        .bind("c", conversationId)
        .map((rs, ctx) -> row(rs))
        .list();
  }

  /**
   * What a batch of log commands needs (LogBatch): every current member of the conversations, and the
   * rows of the users the commands name (senders, targets, invitees) even if they left. Ordered by
   * conversation, then user id. The caller holds the conversations' row locks, so no membership of
   * them can change before it commits.
   */
  public List<MemberRow> forCommands(Handle h, long[] conversationIds, long[] namedUserIds) {
    return h.createQuery(
            "SELECT " + COLUMNS + " FROM msg.members WHERE conversation_id = ANY(:cs) "
                + "AND (left_at IS NULL OR user_id = ANY(:named)) ORDER BY conversation_id, user_id")
        .bindArray("cs", Long.class, (Object[]) boxed(conversationIds))
        .bindArray("named", Long.class, (Object[]) boxed(namedUserIds))
        .map((rs, ctx) -> row(rs))
        .list();
  }

  /**
   * Writes member rows as decided under their conversations' locks, in one round trip: new rows are
   * inserted, existing ones get the given role, visibility window and times. The read marker only
   * moves forward (greatest), because mark_read moves it without the conversation lock.
   */
  public void upsertAll(Handle h, List<MemberRow> rows) {
    if (rows.isEmpty()) return;
    int n = rows.size();
    Long[] cs = new Long[n];
    Long[] us = new Long[n];
    Short[] roles = new Short[n];
    Long[] firsts = new Long[n];
    Long[] lasts = new Long[n];
    Long[] reads = new Long[n];
    Long[] joined = new Long[n];
    Long[] left = new Long[n];
    for (int i = 0; i < n; i++) {
      MemberRow m = rows.get(i);
      cs[i] = m.conversationId();
      us[i] = m.userId();
      roles[i] = (short) m.role();
      firsts[i] = m.firstVisibleSeq();
      lasts[i] = m.active() ? null : m.lastVisibleSeq();
      reads[i] = m.readSeq();
      joined[i] = Times.micros(m.joinedAt());
      left[i] = m.leftAt() == null ? null : Times.micros(m.leftAt());
    }
    h.createUpdate(
            "INSERT INTO msg.members AS m (conversation_id, user_id, role, first_visible_seq, last_visible_seq, read_seq, joined_at, left_at) "
                + "SELECT c, u, r, f, l, rd, " + Times.FROM_MICROS.formatted("j") + ", " + Times.FROM_MICROS.formatted("lf") + " "
                + "FROM unnest(:cs, :us, :roles, :firsts, :lasts, :reads, :joined, :left) AS v(c, u, r, f, l, rd, j, lf) ORDER BY c, u "
                + "ON CONFLICT (conversation_id, user_id) DO UPDATE SET role = excluded.role, "
                + "first_visible_seq = excluded.first_visible_seq, last_visible_seq = excluded.last_visible_seq, "
                + "read_seq = greatest(m.read_seq, excluded.read_seq), joined_at = excluded.joined_at, left_at = excluded.left_at")
        .bindArray("cs", Long.class, (Object[]) cs)
        .bindArray("us", Long.class, (Object[]) us)
        .bindArray("roles", Short.class, (Object[]) roles)
        .bindArray("firsts", Long.class, (Object[]) firsts)
        .bindArray("lasts", Long.class, (Object[]) lasts)
        .bindArray("reads", Long.class, (Object[]) reads)
        .bindArray("joined", Long.class, (Object[]) joined)
        .bindArray("left", Long.class, (Object[]) left)
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

  /** The other member of a direct conversation. */
  public long peer(Handle h, long conversationId, long me) {
    return h.createQuery("SELECT user_id FROM msg.members WHERE conversation_id = :c AND user_id <> :me")
        .bind("c", conversationId)
        .bind("me", me)
        .mapTo(Long.class)
        .one();
  }

  /**
   * Where {@code userId} stands in each listed conversation (sync_groups), in input order: the window
   * of entries they may see and whether they are still a member; null where they have no membership
   * (or the conversation does not exist).
   *
   * @param head the visible head: the conversation's last_seq while a member, else last_visible_seq
   */
  public record Window(long conversationId, long firstVisibleSeq, long head, boolean active) {}

  public List<Window> windows(Handle h, long userId, long[] conversationIds) {
    List<Window> out = new ArrayList<>(conversationIds.length);
    h.createQuery(
            "SELECT k.c, m.first_visible_seq, coalesce(m.last_visible_seq, c.last_seq), m.left_at IS NULL, m.user_id IS NOT NULL "
                + "FROM unnest(:cs) WITH ORDINALITY AS k(c, ord) "
                + "LEFT JOIN msg.members m ON m.conversation_id = k.c AND m.user_id = :u "
                + "LEFT JOIN msg.conversations c ON c.conversation_id = k.c ORDER BY k.ord")
        .bindArray("cs", Long.class, (Object[]) boxed(conversationIds))
        .bind("u", userId)
        .map((rs, ctx) -> rs.getBoolean(5) ? new Window(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getBoolean(4)) : null)
        .forEach(out::add);
    return out;
  }

  static Long[] boxed(long[] values) {
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
