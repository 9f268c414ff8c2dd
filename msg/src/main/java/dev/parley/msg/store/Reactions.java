package dev.parley.msg.store;

import dev.parley.msg.core.content.ReactionTally;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * Table access for msg.reactions (design.md 13.4): one row per (conversation, message seq, user,
 * emoji) with the time it was set. Rows are written in the log writer's transaction with the
 * REACTION entry that announces them, deleted in the transaction that recalls their message or ends
 * their user's membership; counts are always computed from them, so they cannot drift.
 */
public final class Reactions {

  /** One stored row, or one to write or delete. */
  public record Row(long conversationId, long seq, long userId, String emoji) {}

  /** A count of one emoji on one message as {@code viewer} sees it. */
  public record Counted(long conversationId, long seq, String emoji, int count, boolean mine) {}

  /** One reactor as listed by get_reactors. */
  public record Reactor(long userId, String emoji, Instant at) {}

  /**
   * The reactions on each named message, oldest first, keyed "conversation:seq"; one round trip.
   */
  public Map<String, List<ReactionTally.Reaction>> load(
      Handle h, long[] conversationIds, long[] seqs) {
    Map<String, List<ReactionTally.Reaction>> out = new HashMap<>();
    if (conversationIds.length == 0) return out;
    h.createQuery(
            "SELECT r.conversation_id, r.seq, r.user_id, r.emoji FROM unnest(:cs, :ss) AS k(c, s) "
                + "JOIN msg.reactions r ON r.conversation_id = k.c AND r.seq = k.s "
                + "ORDER BY r.conversation_id, r.seq, r.at, r.emoji COLLATE \"C\", r.user_id")
        .bindArray("cs", Long.class, (Object[]) Times.boxed(conversationIds))
        .bindArray("ss", Long.class, (Object[]) Times.boxed(seqs))
        .map(
            (rs, ctx) -> {
              out.computeIfAbsent(
                      rs.getLong("conversation_id") + ":" + rs.getLong("seq"),
                      k -> new ArrayList<>())
                  .add(new ReactionTally.Reaction(rs.getLong("user_id"), rs.getString("emoji")));
              return 0;
            })
        .list();
    return out;
  }

  /** Deletes {@code removed} and inserts {@code added} (set at {@code at}): two statements. */
  public void apply(Handle h, List<Row> removed, List<Row> added, Instant at) {
    if (!removed.isEmpty()) {
      h.createUpdate(
              "DELETE FROM msg.reactions r USING unnest(:cs, :ss, :us, :es) AS k(c, s, u, e) "
                  + "WHERE r.conversation_id = k.c AND r.seq = k.s AND r.user_id = k.u AND r.emoji = k.e")
          .bindArray("cs", Long.class, column(removed, Row::conversationId))
          .bindArray("ss", Long.class, column(removed, Row::seq))
          .bindArray("us", Long.class, column(removed, Row::userId))
          .bindArray("es", String.class, removed.stream().map(Row::emoji).toArray())
          .execute();
    }
    if (!added.isEmpty()) {
      h.createUpdate(
              "INSERT INTO msg.reactions (conversation_id, seq, user_id, emoji, at) "
                  + "SELECT c, s, u, e, :at FROM unnest(:cs, :ss, :us, :es) AS k(c, s, u, e) "
                  + "ON CONFLICT DO NOTHING")
          .bind("at", Times.db(at))
          .bindArray("cs", Long.class, column(added, Row::conversationId))
          .bindArray("ss", Long.class, column(added, Row::seq))
          .bindArray("us", Long.class, column(added, Row::userId))
          .bindArray("es", String.class, added.stream().map(Row::emoji).toArray())
          .execute();
    }
  }

  /** Deletes every reaction on the named messages (they were recalled). */
  public void deleteOnMessages(Handle h, long[] conversationIds, long[] seqs) {
    if (conversationIds.length == 0) return;
    h.createUpdate(
            "DELETE FROM msg.reactions r USING unnest(:cs, :ss) AS k(c, s) "
                + "WHERE r.conversation_id = k.c AND r.seq = k.s")
        .bindArray("cs", Long.class, (Object[]) Times.boxed(conversationIds))
        .bindArray("ss", Long.class, (Object[]) Times.boxed(seqs))
        .execute();
  }

  /** Deletes every reaction of users[i] in conversationIds[i] (their membership ended). */
  public void deleteOfMembers(Handle h, long[] conversationIds, long[] userIds) {
    if (conversationIds.length == 0) return;
    h.createUpdate(
            "DELETE FROM msg.reactions r USING unnest(:cs, :us) AS k(c, u) "
                + "WHERE r.conversation_id = k.c AND r.user_id = k.u")
        .bindArray("cs", Long.class, (Object[]) Times.boxed(conversationIds))
        .bindArray("us", Long.class, (Object[]) Times.boxed(userIds))
        .execute();
  }

  /**
   * The counts on the named messages as {@code viewer} sees them, per message in the order each
   * emoji was first used; one round trip.
   */
  public List<Counted> counts(Handle h, long viewer, long[] conversationIds, long[] seqs) {
    if (conversationIds.length == 0) return List.of();
    return h.createQuery(
            "SELECT r.conversation_id, r.seq, r.emoji, count(*) AS n, bool_or(r.user_id = :me) AS mine "
                + "FROM unnest(:cs, :ss) AS k(c, s) "
                + "JOIN msg.reactions r ON r.conversation_id = k.c AND r.seq = k.s "
                + "GROUP BY r.conversation_id, r.seq, r.emoji "
                + "ORDER BY r.conversation_id, r.seq, min(r.at), r.emoji COLLATE \"C\"")
        .bind("me", viewer)
        .bindArray("cs", Long.class, (Object[]) Times.boxed(conversationIds))
        .bindArray("ss", Long.class, (Object[]) Times.boxed(seqs))
        .map(
            (rs, ctx) ->
                new Counted(
                    rs.getLong("conversation_id"),
                    rs.getLong("seq"),
                    rs.getString("emoji"),
                    rs.getInt("n"),
                    rs.getBoolean("mine")))
        .list();
  }

  /**
   * Who reacted to (conversation, seq), with {@code emoji} only when given, in (at, user, emoji)
   * order after the cursor position; at most {@code limit}.
   */
  public List<Reactor> reactors(
      Handle h,
      long conversationId,
      long seq,
      @Nullable String emoji,
      @Nullable Reactor after,
      int limit) {
    return h.createQuery(
            "SELECT user_id, emoji, at FROM msg.reactions "
                + "WHERE conversation_id = :c AND seq = :s "
                + (emoji == null ? "" : "AND emoji = :emoji ")
                + (after == null ? "" : "AND (at, user_id, emoji) > (:at, :u, :e) ")
                + "ORDER BY at, user_id, emoji LIMIT :limit")
        .bind("c", conversationId)
        .bind("s", seq)
        .bind("emoji", emoji)
        .bind("at", after == null ? null : Times.db(after.at()))
        .bind("u", after == null ? 0 : after.userId())
        .bind("e", after == null ? "" : after.emoji())
        .bind("limit", limit)
        .map(
            (rs, ctx) ->
                new Reactor(
                    rs.getLong("user_id"),
                    rs.getString("emoji"),
                    java.util.Objects.requireNonNull(Times.get(rs, "at"))))
        .list();
  }

  private static Object[] column(List<Row> rows, java.util.function.ToLongFunction<Row> f) {
    return Times.boxed(rows.stream().mapToLong(f).toArray());
  }
}
