package dev.parley.msg.store;

import java.util.List;
import java.util.Optional;
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

  /**
   * Locks the conversation's position for this transaction and returns it; empty when another
   * indexer holds it (it will do the work).
   */
  public Optional<Long> lock(Handle h, long conversationId) {
    h.execute(
        "INSERT INTO "
            + table
            + " (conversation_id, indexed_seq) VALUES (?, 0) ON CONFLICT DO NOTHING",
        conversationId);
    return h.createQuery(
            "SELECT indexed_seq FROM "
                + table
                + " WHERE conversation_id = :c FOR UPDATE SKIP LOCKED")
        .bind("c", conversationId)
        .mapTo(Long.class)
        .findOne();
  }

  public void set(Handle h, long conversationId, long indexedSeq) {
    h.execute(
        "UPDATE " + table + " SET indexed_seq = ? WHERE conversation_id = ?",
        indexedSeq,
        conversationId);
  }

  /** Conversations whose log is ahead of the index (at most {@code limit}). */
  public List<Long> lagging(Handle h, int limit) {
    return h.createQuery(
            "SELECT c.conversation_id FROM msg.conversations c LEFT JOIN "
                + table
                + " p ON p.conversation_id = c.conversation_id "
                + "WHERE c.last_seq > coalesce(p.indexed_seq, 0) LIMIT :n")
        .bind("n", limit)
        .mapTo(Long.class)
        .list();
  }

  /** Sets every position back to the start: the indexer rebuilds the whole index (reindex). */
  public int reset(Handle h) {
    return h.execute("UPDATE " + table + " SET indexed_seq = 0");
  }
}
