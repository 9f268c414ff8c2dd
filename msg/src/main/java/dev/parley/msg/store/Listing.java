package dev.parley.msg.store;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The queries behind a user's conversation list (ConversationList): recency order and unread
 * candidates.
 */
public final class Listing {

  /**
   * A conversation of the list and its sort key: the last activity while the user could see it, in
   * µs.
   */
  public record Key(long conversationId, long sortMicros) {}

  /**
   * Up to {@code limit} of the user's conversations (current and former) by recency, newest first,
   * after the keyset position (at, id) when {@code first} is false.
   */
  public List<Key> page(Handle h, long userId, boolean first, Instant at, long afterId, int limit) {
    return h.createQuery(
            "SELECT m.conversation_id, "
                + "(extract(epoch FROM coalesce(m.left_at, c.last_activity_at)) * 1000000)::bigint AS sort_at "
                + "FROM msg.members m JOIN msg.conversations c USING (conversation_id) "
                + "WHERE m.user_id = :u AND (:first OR (coalesce(m.left_at, c.last_activity_at), m.conversation_id) < (:at, :id)) "
                + "ORDER BY coalesce(m.left_at, c.last_activity_at) DESC, m.conversation_id DESC LIMIT :limit")
        .bind("u", userId)
        .bind("first", first)
        .bind("at", Times.db(at))
        .bind("id", afterId)
        .bind("limit", limit)
        .map((rs, ctx) -> new Key(rs.getLong(1), rs.getLong(2)))
        .list();
  }

  /**
   * Up to {@code limit} of the user's conversations whose sort key is at or after {@code since} and
   * at or above the keyset position (at, id): those that moved past a listing's cursor since it
   * began.
   */
  public List<Key> movedAbove(
      Handle h, long userId, Instant at, long id, Instant since, int limit) {
    return h.createQuery(
            "SELECT m.conversation_id, "
                + "(extract(epoch FROM coalesce(m.left_at, c.last_activity_at)) * 1000000)::bigint AS sort_at "
                + "FROM msg.members m JOIN msg.conversations c USING (conversation_id) "
                + "WHERE m.user_id = :u AND coalesce(m.left_at, c.last_activity_at) >= :since "
                + "AND (coalesce(m.left_at, c.last_activity_at), m.conversation_id) >= (:at, :id) "
                + "ORDER BY coalesce(m.left_at, c.last_activity_at) DESC, m.conversation_id DESC LIMIT :limit")
        .bind("u", userId)
        .bind("since", Times.db(since))
        .bind("at", Times.db(at))
        .bind("id", id)
        .bind("limit", limit)
        .map((rs, ctx) -> new Key(rs.getLong(1), rs.getLong(2)))
        .list();
  }

  /**
   * A conversation where the user's read marker is below what they may see: (id, read_seq, visible
   * head).
   */
  public record Behind(long conversationId, long readSeq, long head) {}

  public List<Behind> behind(Handle h, long userId) {
    return h.createQuery(
            "SELECT m.conversation_id, m.read_seq, coalesce(m.last_visible_seq, c.last_seq) FROM msg.members m "
                + "JOIN msg.conversations c USING (conversation_id) "
                + "WHERE m.user_id = :u AND m.read_seq < coalesce(m.last_visible_seq, c.last_seq)")
        .bind("u", userId)
        .map((rs, ctx) -> new Behind(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
        .list();
  }
}
