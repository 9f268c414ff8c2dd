package dev.parley.bench.search;

import dev.parley.bench.load.Device;
import dev.parley.bench.report.LatencySummary;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.SearchMessagesRequest;
import dev.parley.proto.client.SearchMessagesResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntToLongFunction;
import org.HdrHistogram.Histogram;

/**
 * The search latency measurement: one user's device asks a mix of queries one after the other (one
 * request in flight, as a user typing), and the time from request to answer is recorded per kind
 * and overall. The kinds cover what SEARCH-1 asks for: a word, a phrase, a Chinese word, a single
 * CJK character, a prefix while typing, German with umlauts, Japanese, Korean, a rare word, the
 * same within one conversation, and the second page of a common word.
 */
public final class Queries {
  /**
   * @param inConversation restricted to one of the user's conversations (in turn)
   * @param secondPage the page after the first (which is fetched first and not measured)
   */
  public record Kind(String name, String query, boolean inConversation, boolean secondPage) {}

  /** The mix; every query is in {@link Corpus}'s words, so each finds something. */
  public static final List<Kind> MIX =
      List.of(
          new Kind("word", "meeting ", false, false),
          new Kind("phrase", "\"see you\"", false, false),
          new Kind("chinese-word", "北京", false, false),
          new Kind("cjk-char", "会", false, false),
          new Kind("prefix", "tomo", false, false),
          new Kind("german", "müller", false, false),
          new Kind("japanese", "会議", false, false),
          new Kind("korean", "회의", false, false),
          new Kind("rare-word", "zeppelin ", false, false),
          new Kind("two-words", "lunch tomorrow ", false, false),
          new Kind("word-in-chat", "meeting ", true, false),
          new Kind("cjk-char-in-chat", "会", true, false),
          new Kind("page-2", "the ", false, true));

  /** Per kind: the latency and the hits. */
  public static final class Tally {
    public final Histogram latency = new Histogram(3_600_000_000L, 3);
    public long requests;
    public long hits;
    public long empty;

    Map<String, Object> asMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("requests", requests);
      m.put("meanHits", requests == 0 ? 0 : Math.round(hits * 10.0 / requests) / 10.0);
      m.put("emptyAnswers", empty);
      m.put("latencyMs", LatencySummary.of(latency));
      return m;
    }
  }

  private final Device device;
  private final IntToLongFunction conversationIdOf;
  private final int conversations;
  private final Map<String, Tally> byKind = new LinkedHashMap<>();
  private final Tally all = new Tally();

  /**
   * @param conversationIdOf the ids of the user's conversations (0 .. conversations-1), for the
   *     kinds restricted to one
   */
  public Queries(Device device, IntToLongFunction conversationIdOf, int conversations) {
    this.device = device;
    this.conversationIdOf = conversationIdOf;
    this.conversations = conversations;
    for (Kind k : MIX) byKind.put(k.name(), new Tally());
  }

  /**
   * Asks {@code count} queries of the mix in turn, after {@code warmup} unmeasured ones.
   *
   * @throws IllegalStateException when a search fails (an error answer is a broken server)
   */
  public void run(int warmup, int count, int limit) throws Exception {
    for (int i = 0; i < warmup + count; i++) {
      Kind kind = MIX.get(i % MIX.size());
      SearchMessagesRequest.Builder q =
          SearchMessagesRequest.newBuilder().setQuery(kind.query()).setLimit(limit);
      if (kind.inConversation())
        q.setConversationId(conversationIdOf.applyAsLong((i / MIX.size()) % conversations));
      if (kind.secondPage()) {
        String cursor = search(q).getNextCursor();
        if (cursor.isEmpty()) throw new IllegalStateException(kind.query() + " has no second page");
        q.setCursor(cursor);
      }
      long start = System.nanoTime();
      SearchMessagesResponse r = search(q);
      long micros = (System.nanoTime() - start) / 1_000;
      if (i < warmup) continue;
      for (Tally t : List.of(all, byKind.get(kind.name()))) {
        t.latency.recordValue(Math.max(1, micros));
        t.requests++;
        t.hits += r.getHitsCount();
        if (r.getHitsCount() == 0) t.empty++;
      }
    }
  }

  private SearchMessagesResponse search(SearchMessagesRequest.Builder q) throws Exception {
    return device
        .call(Request.newBuilder().setSearchMessages(q))
        .get(60, TimeUnit.SECONDS)
        .getSearchMessages();
  }

  public Tally all() {
    return all;
  }

  /** Kinds that never found anything: the corpus should have made every one findable. */
  public List<String> neverFound() {
    return byKind.entrySet().stream()
        .filter(e -> e.getValue().requests > 0 && e.getValue().hits == 0)
        .map(Map.Entry::getKey)
        .toList();
  }

  public Map<String, Object> report() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("all", all.asMap());
    byKind.forEach((k, t) -> m.put(k, t.asMap()));
    return m;
  }
}
