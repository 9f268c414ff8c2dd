package dev.parley.msg.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Table access for msg.members. */
public final class Members {
  private static final String COLUMNS =
      "conversation_id, user_id, role, first_visible_seq, last_visible_seq, read_seq, joined_at, left_at";

  /**
   * Whether {@code userId} may see at least one of the entries (convs[i], seqs[i]): a member whose
   * visible range holds it, the entry not recalled (design.md 11.6).
   */
  public boolean seesAny(Handle h, long userId, long[] convs, long[] seqs) {
    return h.createQuery(
            "SELECT EXISTS (SELECT 1 FROM unnest(CAST(:c AS bigint[]), CAST(:s AS bigint[])) AS r(c, s)"
                + " JOIN msg.members m ON m.conversation_id = r.c AND m.user_id = :u"
                + " JOIN msg.entries e ON e.conversation_id = r.c AND e.seq = r.s"
                + " WHERE r.s >= m.first_visible_seq"
                + " AND (m.last_visible_seq IS NULL OR r.s <= m.last_visible_seq)"
                + " AND e.recalled_at IS NULL)")
        .bind("u", userId)
        .bindArray("c", Long.class, (Object[]) Times.boxed(convs))
        .bindArray("s", Long.class, (Object[]) Times.boxed(seqs))
        .mapTo(Boolean.class)
        .one();
  }

  public Optional<MemberRow> find(Handle h, long conversationId, long userId) {
    return h.createQuery(
            "SELECT " + COLUMNS + " FROM msg.members WHERE conversation_id = :c AND user_id = :u")
        .bind("c", conversationId)
        .bind("u", userId)
        .map((rs, ctx) -> row(rs))
        .findOne();
  }

  /** Current members, in ascending user id. */
  public List<MemberRow> active(Handle h, long conversationId) {
    return h.createQuery(
            "SELECT "
                + COLUMNS
                + " FROM msg.members WHERE conversation_id = :c AND left_at IS NULL ORDER BY user_id")
        .bind("c", conversationId)
        .map((rs, ctx) -> row(rs))
        .list();
  }

  /**
   * Moves the read marker forward only; returns the marker after the update (unchanged if seq was
   * lower).
   */
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
    return h.createQuery(
            "SELECT user_id FROM msg.members WHERE conversation_id = :c AND user_id <> :me")
        .bind("c", conversationId)
        .bind("me", me)
        .mapTo(Long.class)
        .one();
  }

  /**
   * Where {@code userId} stands in each listed conversation (sync_groups), in input order: the
   * window of entries they may see and whether they are still a member; null where they have no
   * membership (or the conversation does not exist).
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
        .bindArray("cs", Long.class, (Object[]) Times.boxed(conversationIds))
        .bind("u", userId)
        .map(
            (rs, ctx) ->
                rs.getBoolean(5)
                    ? new Window(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getBoolean(4))
                    : null)
        .forEach(out::add);
    return out;
  }

  /**
   * The range of a conversation's entries a user may see: {@code firstVisibleSeq} on, up to {@code
   * lastVisibleSeq} ({@link Long#MAX_VALUE} while still a member).
   */
  public record Range(long conversationId, long firstVisibleSeq, long lastVisibleSeq) {}

  /** Every conversation {@code userId} is or was a member of, with what they may see of it. */
  public List<Range> visibleRanges(Handle h, long userId) {
    return h.createQuery(
            "SELECT conversation_id, first_visible_seq, last_visible_seq "
                + "FROM msg.members WHERE user_id = :u")
        .bind("u", userId)
        .map(
            (rs, ctx) -> {
              long last = rs.getLong(3);
              if (rs.wasNull()) last = Long.MAX_VALUE;
              return new Range(rs.getLong(1), rs.getLong(2), last);
            })
        .list();
  }

  /**
   * What {@code me} is shown of a group they left (FormerView); empty while a member and for direct
   * conversations. Every departure writes one (departures from before the table were rebuilt by
   * migration V5), so a former member never falls back to the live group.
   */
  public Optional<FormerView> formerView(Handle h, ConversationRow conv, MemberRow me) {
    if (me.active() || !conv.group()) return Optional.empty();
    long conversationId = conv.conversationId();
    long userId = me.userId();
    return h.createQuery(
            "SELECT seq, title, member_count, disbanded, member_ids, member_roles, member_first_seqs, member_read_seqs, "
                + "member_joined_micros, member_current FROM msg.former_views WHERE conversation_id = :c AND user_id = :u")
        .bind("c", conversationId)
        .bind("u", userId)
        .map(
            (rs, ctx) -> {
              Long[] ids = (Long[]) rs.getArray("member_ids").getArray();
              Object roles = rs.getArray("member_roles").getArray();
              Long[] firsts = (Long[]) rs.getArray("member_first_seqs").getArray();
              Long[] reads = (Long[]) rs.getArray("member_read_seqs").getArray();
              Long[] joined = (Long[]) rs.getArray("member_joined_micros").getArray();
              Boolean[] current = (Boolean[]) rs.getArray("member_current").getArray();
              List<FormerView.Seat> seats = new ArrayList<>(ids.length);
              for (int i = 0; i < ids.length; i++) {
                int role = roles instanceof Short[] s ? s[i] : ((Integer[]) roles)[i];
                seats.add(
                    new FormerView.Seat(
                        ids[i],
                        role,
                        firsts[i],
                        reads[i],
                        Objects.requireNonNull(Times.instant(joined[i])),
                        current[i]));
              }
              return new FormerView(
                  conversationId,
                  userId,
                  rs.getLong("seq"),
                  rs.getString("title"),
                  rs.getInt("member_count"),
                  rs.getBoolean("disbanded"),
                  seats);
            })
        .findOne();
  }

  static MemberRow row(ResultSet rs) throws SQLException {
    return new MemberRow(
        rs.getLong("conversation_id"),
        rs.getLong("user_id"),
        rs.getShort("role"),
        rs.getLong("first_visible_seq"),
        rs.getLong("last_visible_seq"),
        rs.getLong("read_seq"),
        Objects.requireNonNull(Times.get(rs, "joined_at")),
        Times.get(rs, "left_at"));
  }
}
