package dev.parley.msg.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.jspecify.annotations.Nullable;

/**
 * Table access for the search index (design.md 14.2, migration V12): msg.search_docs, one row of
 * hashed tokens per searchable message (the indexer's position is {@link SearchProgress#POSTGRES}).
 * Nothing here is text: tokens arrive hashed.
 */
public final class SearchDocs {

  /** A message's row: {@code tokens} hashed under search key {@code keyId}. */
  public record Doc(
      long conversationId,
      long seq,
      long senderId,
      Instant sentAt,
      EntryKind kind,
      boolean hasLink,
      int keyId,
      long[] tokens) {}

  /** A position in the newest-first order of results: (sent_at, conversation, seq) descending. */
  public record Position(Instant sentAt, long conversationId, long seq) {}

  /**
   * What a query asks of the rows besides its tokens; 0 / null: no condition.
   *
   * @param kinds entry kinds allowed (empty: any)
   * @param linksOnly only rows whose text holds a link
   */
  public record Filter(
      long conversationId,
      long senderId,
      @Nullable Instant from,
      @Nullable Instant to,
      List<EntryKind> kinds,
      boolean linksOnly) {
    public Filter {
      kinds = List.copyOf(kinds);
    }
  }

  public void upsert(Handle h, List<Doc> docs) {
    if (docs.isEmpty()) return;
    PreparedBatch b =
        h.prepareBatch(
            "INSERT INTO msg.search_docs (conversation_id, seq, sender_id, sent_at, kind, has_link, key_id, tokens) "
                + "VALUES (:c, :s, :sender, :at, :kind, :link, :key, :tokens) "
                + "ON CONFLICT (conversation_id, seq) DO UPDATE SET kind = excluded.kind, "
                + "has_link = excluded.has_link, key_id = excluded.key_id, tokens = excluded.tokens");
    for (Doc d : docs)
      b.bind("c", d.conversationId())
          .bind("s", d.seq())
          .bind("sender", d.senderId())
          .bind("at", Times.db(d.sentAt()))
          .bind("kind", d.kind().code)
          .bind("link", d.hasLink())
          .bind("key", (short) d.keyId())
          .bindArray("tokens", Long.class, (Object[]) Times.boxed(d.tokens()))
          .add();
    b.execute();
  }

  public void delete(Handle h, long conversationId, long seq) {
    h.execute(
        "DELETE FROM msg.search_docs WHERE conversation_id = ? AND seq = ?", conversationId, seq);
  }

  /**
   * Rows holding all the query's tokens (per search key id: the same tokens hashed under it) in
   * conversations where {@code userId} is a member, inside the member's visible window, newest
   * first after {@code after}. Candidates only: the caller checks each against its entry.
   */
  public List<Position> candidates(
      Handle h,
      long userId,
      Map<Integer, long[]> tokensByKey,
      Filter f,
      @Nullable Position after,
      int limit) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT d.conversation_id, d.seq, d.sent_at FROM msg.search_docs d "
                + "JOIN msg.members m ON m.conversation_id = d.conversation_id AND m.user_id = :u "
                + "WHERE d.seq >= m.first_visible_seq "
                + "AND (m.last_visible_seq IS NULL OR d.seq <= m.last_visible_seq) AND (");
    List<String> byKey = new ArrayList<>();
    for (int keyId : tokensByKey.keySet())
      byKey.add("(d.key_id = " + keyId + " AND d.tokens @> :t" + keyId + ")");
    sql.append(String.join(" OR ", byKey)).append(')');
    if (f.conversationId() != 0) sql.append(" AND d.conversation_id = :c");
    if (f.senderId() != 0) sql.append(" AND d.sender_id = :sender");
    if (f.from() != null) sql.append(" AND d.sent_at >= :from");
    if (f.to() != null) sql.append(" AND d.sent_at < :to");
    if (!f.kinds().isEmpty()) sql.append(" AND d.kind = ANY(:kinds)");
    if (f.linksOnly()) sql.append(" AND d.has_link");
    if (after != null) sql.append(" AND (d.sent_at, d.conversation_id, d.seq) < (:at, :ac, :as)");
    sql.append(" ORDER BY d.sent_at DESC, d.conversation_id DESC, d.seq DESC LIMIT :n");

    Query q = h.createQuery(sql.toString()).bind("u", userId).bind("n", limit);
    tokensByKey.forEach(
        (keyId, tokens) -> q.bindArray("t" + keyId, Long.class, (Object[]) Times.boxed(tokens)));
    if (f.conversationId() != 0) q.bind("c", f.conversationId());
    if (f.senderId() != 0) q.bind("sender", f.senderId());
    if (f.from() != null) q.bind("from", Times.db(f.from()));
    if (f.to() != null) q.bind("to", Times.db(f.to()));
    if (!f.kinds().isEmpty())
      q.bindArray(
          "kinds",
          Short.class,
          (Object[]) f.kinds().stream().map(k -> k.code).toArray(Short[]::new));
    if (after != null)
      q.bind("at", Times.db(after.sentAt()))
          .bind("ac", after.conversationId())
          .bind("as", after.seq());
    return q.map((rs, ctx) -> position(rs)).list();
  }

  private static Position position(ResultSet rs) throws SQLException {
    Instant at = Times.get(rs, "sent_at");
    if (at == null) throw new IllegalStateException("search_docs.sent_at is NOT NULL");
    return new Position(at, rs.getLong("conversation_id"), rs.getLong("seq"));
  }
}
