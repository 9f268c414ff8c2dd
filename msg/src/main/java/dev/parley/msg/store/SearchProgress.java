package dev.parley.msg.store;

import java.util.Arrays;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Table access for one search index's durable position per conversation (design.md 14.4): every
 * entry with seq &lt;= indexed_seq has been applied to that index. Each backend has its own table
 * (msg.search_progress for the keyed tokens in PostgreSQL, V12; msg.opensearch_progress for
 * OpenSearch, V13), so switching backends neither loses nor fakes a position.
 */
public final class SearchProgress {
  /** The PostgreSQL index's positions. */
  public static final SearchProgress POSTGRES = new SearchProgress("msg.search_progress");

  /** The OpenSearch index's positions. */
  public static final SearchProgress OPENSEARCH = new SearchProgress("msg.opensearch_progress");

  private final String table;

  private SearchProgress(String table) {
    this.table = table;
  }

  /** A conversation's position, locked by the caller's transaction, and the head of its log. */
  public record Held(long conversationId, long indexedSeq, long lastSeq) {}

  /**
   * Locks the positions of those of {@code conversationIds} no other indexer holds (creating the
   * missing ones at 0) and returns them with each log's head; the others are left out (their holder
   * will do the work). Missing rows are created in ascending order, so two indexers creating the
   * same ones wait for each other rather than deadlock.
   */
  public List<Held> lockAll(Handle h, List<Long> conversationIds) {
    Long[] ids = conversationIds.toArray(Long[]::new);
    Arrays.sort(ids);
    h.createUpdate(
            "INSERT INTO "
                + table
                + " (conversation_id, indexed_seq) SELECT c, 0 FROM unnest(:ids) AS c ORDER BY c "
                + "ON CONFLICT DO NOTHING")
        .bindArray("ids", Long.class, (Object[]) ids)
        .execute();
    return h.createQuery(
            "SELECT p.conversation_id, p.indexed_seq, c.last_seq FROM "
                + table
                + " p JOIN msg.conversations c ON c.conversation_id = p.conversation_id "
                + "WHERE p.conversation_id = ANY(:ids) FOR UPDATE OF p SKIP LOCKED")
        .bindArray("ids", Long.class, (Object[]) ids)
        .map((rs, ctx) -> new Held(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
        .list();
  }

  /** Moves the positions of conversations {@code conversationIds[i]} to {@code seqs[i]}. */
  public void setAll(Handle h, long[] conversationIds, long[] seqs) {
    if (conversationIds.length == 0) return;
    h.createUpdate(
            "UPDATE "
                + table
                + " p SET indexed_seq = s.seq FROM unnest(:cs, :ss) AS s(conversation_id, seq) "
                + "WHERE p.conversation_id = s.conversation_id")
        .bindArray("cs", Long.class, (Object[]) Times.boxed(conversationIds))
        .bindArray("ss", Long.class, (Object[]) Times.boxed(seqs))
        .execute();
  }

  /**
   * Conversations whose log is ahead of the index, in ascending id after {@code after} (at most
   * {@code limit}).
   */
  public List<Long> lagging(Handle h, long after, int limit) {
    return h.createQuery(
            "SELECT c.conversation_id FROM msg.conversations c LEFT JOIN "
                + table
                + " p ON p.conversation_id = c.conversation_id "
                + "WHERE c.conversation_id > :after AND c.last_seq > coalesce(p.indexed_seq, 0) "
                + "ORDER BY c.conversation_id LIMIT :n")
        .bind("after", after)
        .bind("n", limit)
        .mapTo(Long.class)
        .list();
  }

  /** Sets every position back to the start: the indexer rebuilds the whole index (reindex). */
  public int reset(Handle h) {
    return h.execute("UPDATE " + table + " SET indexed_seq = 0");
  }
}
