package dev.parley.msg.search.opensearch;

import dev.parley.msg.search.SearchQuery;
import dev.parley.msg.search.SearchQuery.Term;
import dev.parley.msg.store.EntryKind;
import dev.parley.msg.store.Members.Range;
import dev.parley.msg.store.SearchDocs.Filter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.query_dsl.Operator;
import org.opensearch.client.opensearch._types.query_dsl.Query;

/**
 * A search query as an OpenSearch filter (design.md 14.6), the counterpart of the PostgreSQL
 * backend's {@code tokens @>}: every term must be in the message (a CJK term: all its unigrams and
 * bigrams, as the index's analyzer makes them; the word being typed: a prefix of 2 to {@value
 * #MAX_PREFIX} characters from the {@code text.prefix} edge n-grams), plus the request's filters
 * and the caller's membership windows. Everything is a filter clause: nothing is scored, results
 * are sorted by time. A superset: the service checks each hit's decrypted text.
 */
final class OpenSearchQuery {
  /**
   * The longest prefix in the {@code text.prefix} edge n-grams ({@code max_gram} of
   * messages-index.json). Longer than the PostgreSQL backend's: an n-gram costs the OpenSearch node
   * an index entry, not the database a GIN entry, and changing it would need a new index.
   */
  static final int MAX_PREFIX = 12;

  /**
   * Windows that start after a conversation's first entry or end when the user left become one
   * clause each, up to this many; past it the filter keeps only the conversations (the service
   * checks every hit's window anyway) so that the query stays below OpenSearch's clause limit.
   */
  static final int MAX_WINDOW_CLAUSES = 500;

  private OpenSearchQuery() {}

  static Query of(SearchQuery q, Filter f, List<Range> visible) {
    List<Query> must = new ArrayList<>();
    for (Term t : q.terms()) must.add(term(t));
    must.add(visibility(visible));
    if (f.senderId() != 0) must.add(equal(OpenSearchDocs.SENDER, f.senderId()));
    Instant from = f.from();
    Instant to = f.to();
    if (from != null || to != null)
      must.add(
          Query.of(
              b ->
                  b.range(
                      r -> {
                        r.field(OpenSearchDocs.SENT_AT);
                        if (from != null) r.gte(JsonData.of(OpenSearchDocs.micros(from)));
                        if (to != null) r.lt(JsonData.of(OpenSearchDocs.micros(to)));
                        return r;
                      })));
    if (!f.kinds().isEmpty()) {
      List<FieldValue> kinds = new ArrayList<>();
      for (EntryKind k : f.kinds()) kinds.add(FieldValue.of(k.code));
      must.add(anyOf(OpenSearchDocs.KIND, kinds));
    }
    if (f.linksOnly())
      must.add(Query.of(b -> b.term(t -> t.field(OpenSearchDocs.HAS_LINK).value(FieldValue.TRUE))));
    return Query.of(b -> b.bool(bool -> bool.filter(must)));
  }

  private static Query term(Term t) {
    if (t.prefix()) {
      String text = t.text();
      int n = Math.min(text.codePointCount(0, text.length()), MAX_PREFIX);
      String prefix = text.substring(0, text.offsetByCodePoints(0, n));
      return match(OpenSearchDocs.TEXT_PREFIX, prefix);
    }
    return match(OpenSearchDocs.TEXT, t.text());
  }

  private static Query match(String field, String text) {
    return Query.of(
        b -> b.match(m -> m.field(field).query(FieldValue.of(text)).operator(Operator.And)));
  }

  /** The caller's conversations, each inside the window the caller may see. */
  private static Query visibility(List<Range> visible) {
    List<FieldValue> whole = new ArrayList<>();
    List<Range> windowed = new ArrayList<>();
    for (Range r : visible) {
      if (r.firstVisibleSeq() <= 1 && r.lastVisibleSeq() == Long.MAX_VALUE)
        whole.add(FieldValue.of(r.conversationId()));
      else windowed.add(r);
    }
    if (windowed.size() > MAX_WINDOW_CLAUSES) {
      for (Range r : windowed) whole.add(FieldValue.of(r.conversationId()));
      windowed.clear();
    }
    List<Query> any = new ArrayList<>();
    if (!whole.isEmpty()) any.add(anyOf(OpenSearchDocs.CONVERSATION, whole));
    for (Range r : windowed) any.add(window(r));
    return Query.of(b -> b.bool(bool -> bool.should(any).minimumShouldMatch("1")));
  }

  private static Query window(Range r) {
    Query seqs =
        Query.of(
            b ->
                b.range(
                    s -> {
                      s.field(OpenSearchDocs.SEQ).gte(JsonData.of(r.firstVisibleSeq()));
                      if (r.lastVisibleSeq() != Long.MAX_VALUE)
                        s.lte(JsonData.of(r.lastVisibleSeq()));
                      return s;
                    }));
    return Query.of(
        b ->
            b.bool(
                bool -> bool.filter(equal(OpenSearchDocs.CONVERSATION, r.conversationId()), seqs)));
  }

  private static Query equal(String field, long value) {
    return Query.of(b -> b.term(t -> t.field(field).value(FieldValue.of(value))));
  }

  private static Query anyOf(String field, List<FieldValue> values) {
    return Query.of(b -> b.terms(t -> t.field(field).terms(v -> v.value(values))));
  }
}
