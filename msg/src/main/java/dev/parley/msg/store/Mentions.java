package dev.parley.msg.store;

import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Table access for msg.mentions (design.md 13): one row per (conversation, mentioned user, seq),
 * user 0 for @all. Rows are written in the log writer's transaction with their message; counts are
 * derived from them against read markers, so they cannot drift.
 */
public final class Mentions {

  /** The mention rows of one message: {@code userIds} (0 = @all) at (conversation, seq). */
  public record Rows(long conversationId, long seq, long[] userIds) {}

  /**
   * Replaces the rows of each message named (an edit) and inserts the new ones: two statements,
   * only for batches with mentions or edits.
   */
  public void replace(Handle h, List<Rows> rows, long[] editedConversations, long[] editedSeqs) {
    if (editedConversations.length > 0) {
      h.createUpdate(
              "DELETE FROM msg.mentions m USING unnest(:cs, :ss) AS k(c, s) "
                  + "WHERE m.conversation_id = k.c AND m.seq = k.s")
          .bindArray("cs", Long.class, (Object[]) Times.boxed(editedConversations))
          .bindArray("ss", Long.class, (Object[]) Times.boxed(editedSeqs))
          .execute();
    }
    int n = rows.stream().mapToInt(r -> r.userIds().length).sum();
    if (n == 0) return;
    Long[] cs = new Long[n];
    Long[] us = new Long[n];
    Long[] ss = new Long[n];
    int i = 0;
    for (Rows r : rows) {
      for (long u : r.userIds()) {
        cs[i] = r.conversationId();
        us[i] = u;
        ss[i++] = r.seq();
      }
    }
    h.createUpdate(
            "INSERT INTO msg.mentions (conversation_id, user_id, seq) SELECT * FROM unnest(:cs, :us, :ss) "
                + "ON CONFLICT DO NOTHING")
        .bindArray("cs", Long.class, (Object[]) cs)
        .bindArray("us", Long.class, (Object[]) us)
        .bindArray("ss", Long.class, (Object[]) ss)
        .execute();
  }

  /**
   * Mentions of {@code userId} (or @all) in (after, upTo] at or after {@code firstVisible}, whose
   * message is not recalled and not the user's own, oldest first; at most {@code limit}.
   */
  public List<Long> after(
      Handle h,
      long conversationId,
      long userId,
      long after,
      long upTo,
      long firstVisible,
      int limit) {
    return h.createQuery(
            "SELECT DISTINCT m.seq FROM msg.mentions m JOIN msg.entries e "
                + "ON e.conversation_id = m.conversation_id AND e.seq = m.seq "
                + "WHERE m.conversation_id = :c AND m.user_id IN (:u, 0) AND m.seq > :after AND m.seq <= :upTo "
                + "AND m.seq >= :first AND e.recalled_at IS NULL AND e.sender_id <> :u ORDER BY m.seq LIMIT :limit")
        .bind("c", conversationId)
        .bind("u", userId)
        .bind("after", after)
        .bind("upTo", upTo)
        .bind("first", firstVisible)
        .bind("limit", limit)
        .mapTo(Long.class)
        .list();
  }

  /**
   * How many of {@link #after}'s mentions there are (the unread mentions when {@code after} is the
   * read marker), not recalled as of now.
   */
  public int count(
      Handle h, long conversationId, long userId, long after, long upTo, long firstVisible) {
    if (upTo <= after) return 0;
    return h.createQuery(
            "SELECT count(DISTINCT m.seq) FROM msg.mentions m JOIN msg.entries e "
                + "ON e.conversation_id = m.conversation_id AND e.seq = m.seq "
                + "WHERE m.conversation_id = :c AND m.user_id IN (:u, 0) AND m.seq > :after AND m.seq <= :upTo "
                + "AND m.seq >= :first AND e.recalled_at IS NULL AND e.sender_id <> :u")
        .bind("c", conversationId)
        .bind("u", userId)
        .bind("after", after)
        .bind("upTo", upTo)
        .bind("first", firstVisible)
        .mapTo(Integer.class)
        .one();
  }
}
