package dev.parley.server.e2e;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;

/** The message search suite on the default backend: keyed tokens in PostgreSQL (design.md 14.2). */
class SearchIT extends MessageSearchCases {
  @BeforeAll
  static void start() {
    startNode(Map.of("msg.search.backend", "postgres"));
  }

  @Override
  void forgetIndexed(long conversationId, long fromSeq) throws Exception {
    update(
        "DELETE FROM msg.search_docs WHERE conversation_id = ? AND seq >= ?",
        conversationId,
        fromSeq);
  }

  @Override
  long indexedDocuments(long conversationId) throws Exception {
    return count("SELECT count(*) FROM msg.search_docs WHERE conversation_id = ?", conversationId);
  }

  @Override
  void setIndexedSeq(long conversationId, long seq) throws Exception {
    update(
        "UPDATE msg.search_progress SET indexed_seq = ? WHERE conversation_id = ?",
        seq,
        conversationId);
  }
}
