package dev.parley.msg.search.opensearch;

import dev.parley.msg.search.IndexChange;
import dev.parley.msg.search.SearchTokenizer;
import dev.parley.msg.search.Segment;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The documents of the messages index (messages-index.json) and their fields: one document per
 * searchable message, id {@code conversation_id/seq}.
 *
 * <p>{@code text} is not the message as written but its segments from {@link SearchTokenizer} (the
 * folded words and CJK runs, in order, separated by spaces), so both backends split words alike
 * ({@code example.com}, {@code don't}) and fold alike; the index's analyzer then makes the CJK
 * unigrams and bigrams and the word prefixes. It is indexed, not kept in {@code _source}.
 */
final class OpenSearchDocs {
  static final String CONVERSATION = "conversation_id";
  static final String SEQ = "seq";
  static final String SENDER = "sender_id";

  /** Microseconds since the epoch: the precision of the log, so the order matches PostgreSQL's. */
  static final String SENT_AT = "sent_at_us";

  static final String KIND = "kind";
  static final String HAS_LINK = "has_link";
  static final String TEXT = "text";
  static final String TEXT_PREFIX = "text.prefix";

  private OpenSearchDocs() {}

  static String id(long conversationId, long seq) {
    return conversationId + "/" + seq;
  }

  static Map<String, Object> document(IndexChange.Put p) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put(CONVERSATION, p.conversationId());
    doc.put(SEQ, p.seq());
    doc.put(SENDER, p.senderId());
    doc.put(SENT_AT, micros(p.sentAt()));
    doc.put(KIND, p.kind().code);
    doc.put(HAS_LINK, p.hasLink());
    doc.put(TEXT, segmented(p.text()));
    return doc;
  }

  static String segmented(String text) {
    List<Segment> segments = SearchTokenizer.segments(text);
    StringBuilder b = new StringBuilder(text.length());
    for (Segment s : segments) {
      if (!b.isEmpty()) b.append(' ');
      b.append(s.text());
    }
    return b.toString();
  }

  static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
  }

  static Instant instant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }
}
