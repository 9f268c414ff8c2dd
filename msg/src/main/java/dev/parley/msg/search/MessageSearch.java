package dev.parley.msg.search;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.search.SearchQuery.Range;
import dev.parley.msg.store.Entries;
import dev.parley.msg.store.Entry;
import dev.parley.msg.store.Members;
import dev.parley.msg.store.Members.Window;
import dev.parley.msg.store.SearchDocs.Filter;
import dev.parley.msg.store.SearchDocs.Position;
import dev.parley.msg.store.Tx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * search_messages (design.md 14.3): the index narrows, the decrypted entry decides. Candidates come
 * newest first from the backend (14.6); each must lie inside the caller's membership window, read
 * here whatever the backend already filtered, and is read back from the log, dropped when recalled,
 * and its current text must match the query, which also gives the snippet. Everything runs in one
 * read, so membership, window and content are seen as of one moment.
 */
public final class MessageSearch {
  /** At most this many candidates are examined per request, so a query cannot run unbounded. */
  static final int MAX_EXAMINED = 2_000;

  private final Tx tx;
  private final Entries entries;
  private final Members members;
  private final SearchBackend backend;
  private final SearchGate gate;

  public MessageSearch(
      Tx tx, Entries entries, Members members, SearchBackend backend, SearchGate gate) {
    this.tx = tx;
    this.entries = entries;
    this.members = members;
    this.backend = backend;
    this.gate = gate;
  }

  /** A found message: its entry, a snippet of its text and where the matches are in the snippet. */
  public record Hit(Entry entry, Snippet snippet) {}

  /**
   * @param next where the next page starts; null when nothing is left
   */
  public record Page(List<Hit> hits, @Nullable Position next) {}

  /**
   * @throws ParleyException INVALID_ARGUMENT when the query has nothing to search for; UNAVAILABLE
   *     when too many searches are waiting for their turn ({@link SearchGate})
   */
  public Page search(
      long userId, String query, Filter filter, @Nullable Position after, int limit) {
    SearchQuery q = SearchQuery.parse(query);
    if (q == null)
      throw ParleyException.invalid("query", "the query has no words or characters to search for");
    return gate.run(() -> tx.read(h -> page(h, userId, q, filter, after, limit)));
  }

  private Page page(
      Handle h, long userId, SearchQuery q, Filter filter, @Nullable Position after, int limit) {
    List<Hit> hits = new ArrayList<>();
    Position cursor = after;
    int examined = 0;
    int batch = Math.max(2 * limit, 50);
    while (examined < MAX_EXAMINED) {
      List<Position> candidates = backend.candidates(h, userId, q, filter, cursor, batch);
      Map<String, Entry> byKey = read(h, visible(h, userId, candidates));
      for (Position p : candidates) {
        cursor = p;
        examined++;
        Entry e = byKey.get(p.conversationId() + "/" + p.seq());
        String text = e == null || e.recalled() ? null : Searchable.text(e.content());
        List<Range> ranges = text == null ? null : q.match(text);
        if (e != null && text != null && ranges != null) {
          hits.add(new Hit(e, Snippet.of(text, ranges)));
          if (hits.size() == limit) return new Page(hits, p);
        }
      }
      if (candidates.size() < batch) return new Page(hits, null);
    }
    // Many candidates failed the check: hand back what was found and where to go on.
    return new Page(hits, cursor);
  }

  /** The candidates inside the caller's window of their conversation (as get_history, 8.6). */
  private List<Position> visible(Handle h, long userId, List<Position> candidates) {
    if (candidates.isEmpty()) return candidates;
    long[] conversations =
        candidates.stream().mapToLong(Position::conversationId).distinct().toArray();
    Map<Long, Window> windows = new HashMap<>();
    for (Window w : members.windows(h, userId, conversations))
      if (w != null) windows.put(w.conversationId(), w);
    return candidates.stream()
        .filter(
            p -> {
              Window w = windows.get(p.conversationId());
              return w != null && p.seq() >= w.firstVisibleSeq() && p.seq() <= w.head();
            })
        .toList();
  }

  private Map<String, Entry> read(Handle h, List<Position> candidates) {
    long[] cs = new long[candidates.size()];
    long[] ss = new long[candidates.size()];
    for (int i = 0; i < cs.length; i++) {
      cs[i] = candidates.get(i).conversationId();
      ss[i] = candidates.get(i).seq();
    }
    Map<String, Entry> out = new HashMap<>();
    for (Entry e : entries.byKeys(h, cs, ss)) out.put(e.conversationId() + "/" + e.seq(), e);
    return out;
  }
}
