package dev.parley.msg.search;

import dev.parley.msg.store.SearchDocs;
import dev.parley.msg.store.SearchDocs.Filter;
import dev.parley.msg.store.SearchDocs.Position;
import dev.parley.msg.store.SearchProgress;
import dev.parley.msg.store.Tx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * The default backend: keyed (HMAC) tokens in msg.search_docs (design.md 14.2), written in the
 * indexer's own transaction; candidates come from a join with the caller's memberships, so they are
 * already inside each member's window.
 */
public final class PostgresSearchBackend implements SearchBackend {
  /** Rows retention deletes per transaction. */
  static final int FORGET_BATCH = 1_000;

  private final Tx tx;
  private final SearchDocs docs;
  private final TokenHasher hasher;

  public PostgresSearchBackend(Tx tx, SearchDocs docs, TokenHasher hasher) {
    this.tx = tx;
    this.docs = docs;
    this.hasher = hasher;
  }

  @Override
  public SearchProgress progress() {
    return SearchProgress.POSTGRES;
  }

  @Override
  public boolean prepare() {
    return false; // the table comes with the migrations
  }

  @Override
  public void apply(Handle h, List<IndexChange> changes) {
    // Consecutive puts go in one JDBC batch (one round trip); a removal flushes them first, so a
    // put and a later removal of the same message keep their order.
    List<SearchDocs.Doc> puts = new ArrayList<>();
    int key = hasher.activeKeyId();
    for (IndexChange c : changes) {
      switch (c) {
        case IndexChange.Put p ->
            puts.add(
                new SearchDocs.Doc(
                    p.conversationId(),
                    p.seq(),
                    p.senderId(),
                    p.sentAt(),
                    p.kind(),
                    p.hasLink(),
                    key,
                    hasher.hash(key, SearchTokenizer.indexTokens(p.text()))));
        case IndexChange.Remove r -> {
          docs.upsert(h, puts);
          puts.clear();
          docs.delete(h, r.conversationId(), r.seq());
        }
      }
    }
    docs.upsert(h, puts);
  }

  /**
   * No foreign key takes the rows along with their entries (V15: its check locked each entry the
   * indexer wrote a row for), so retention deletes them here, by time. That also catches a row the
   * indexer wrote for an entry retention deleted while it was indexing.
   */
  @Override
  public void forgetBefore(Instant cutoff) {
    int n;
    do {
      n = tx.write(h -> docs.deleteSentBefore(h, cutoff, FORGET_BATCH));
    } while (n == FORGET_BATCH);
  }

  @Override
  public List<Position> candidates(
      Handle h, long userId, SearchQuery q, Filter filter, @Nullable Position after, int limit) {
    // Rows keep the key they were made under: ask under every configured key (design.md 14.2).
    Map<Integer, long[]> tokens = new HashMap<>();
    for (int keyId : hasher.keyIds()) tokens.put(keyId, hasher.hash(keyId, q.tokens()));
    return docs.candidates(h, userId, tokens, filter, after, limit);
  }
}
