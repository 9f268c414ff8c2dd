package dev.parley.msg.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * The caller's conversations as chat search sees them (design.md 14.5): what the chat list shows of
 * each (ConversationList), that is, a group the caller left as it stood when they left (FormerView:
 * its title then, its members then), never as it is now.
 */
public final class ChatNames {

  /**
   * One of the caller's conversations.
   *
   * @param title a group's title as the caller sees it; null for a one-to-one chat
   * @param former the caller left or was removed (or the group was disbanded)
   * @param activeAt the chat list's sort key: the last activity while the caller could see it
   * @param peerId the other user of a one-to-one chat; 0 for a group
   */
  public record Chat(
      long conversationId,
      int type,
      @Nullable String title,
      boolean former,
      Instant activeAt,
      long peerId) {

    public boolean group() {
      return type == ConversationRow.GROUP;
    }
  }

  /** A member of one of the caller's groups, as the caller sees the group. */
  public record Seat(long conversationId, long userId) {}

  /** Up to {@code limit} of the user's conversations, most recently active first. */
  public List<Chat> chats(Handle h, long userId, int limit) {
    return h.createQuery(
            "SELECT m.conversation_id, c.type, "
                + "CASE WHEN m.left_at IS NULL THEN c.title ELSE coalesce(f.title, c.title) END AS title, "
                + "m.left_at IS NOT NULL AS former, coalesce(m.left_at, c.last_activity_at) AS active_at, "
                + "CASE WHEN d.user_lo = :u THEN d.user_hi ELSE coalesce(d.user_lo, 0) END AS peer "
                + "FROM msg.members m JOIN msg.conversations c USING (conversation_id) "
                + "LEFT JOIN msg.former_views f ON m.left_at IS NOT NULL "
                + "  AND f.conversation_id = m.conversation_id AND f.user_id = m.user_id "
                + "LEFT JOIN msg.direct_pairs d ON d.conversation_id = m.conversation_id "
                + "WHERE m.user_id = :u "
                + "ORDER BY active_at DESC, m.conversation_id DESC LIMIT :limit")
        .bind("u", userId)
        .bind("limit", limit)
        .map(
            (rs, ctx) ->
                new Chat(
                    rs.getLong("conversation_id"),
                    rs.getShort("type"),
                    rs.getString("title"),
                    rs.getBoolean("former"),
                    Objects.requireNonNull(Times.get(rs, "active_at")),
                    rs.getLong("peer")))
        .list();
  }

  /**
   * The other members of the user's groups {@code groupIds}, in the order of the groups, at most
   * {@code limit} rows: the current members of a group the user is in, those of the moment they
   * left for one they left.
   */
  public List<Seat> members(Handle h, long userId, long[] groupIds, int limit) {
    if (groupIds.length == 0) return List.of();
    return h.createQuery(
            "SELECT g.conversation_id, x.user_id "
                + "FROM unnest(CAST(:gs AS bigint[])) WITH ORDINALITY AS g(conversation_id, ord) "
                + "JOIN msg.members me ON me.conversation_id = g.conversation_id AND me.user_id = :u "
                + "CROSS JOIN LATERAL ("
                + "  SELECT m.user_id FROM msg.members m WHERE me.left_at IS NULL "
                + "    AND m.conversation_id = g.conversation_id AND m.left_at IS NULL "
                + "  UNION ALL "
                + "  SELECT s.user_id FROM msg.former_views f, "
                + "    unnest(f.member_ids, f.member_current) AS s(user_id, current) "
                + "  WHERE me.left_at IS NOT NULL AND f.conversation_id = g.conversation_id "
                + "    AND f.user_id = :u AND s.current) x "
                + "WHERE x.user_id <> :u ORDER BY g.ord LIMIT :limit")
        .bind("u", userId)
        .bind("gs", Times.boxed(groupIds))
        .bind("limit", limit)
        .map((rs, ctx) -> new Seat(rs.getLong(1), rs.getLong(2)))
        .list();
  }
}
