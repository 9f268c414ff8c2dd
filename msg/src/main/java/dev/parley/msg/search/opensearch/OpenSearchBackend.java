package dev.parley.msg.search.opensearch;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.search.IndexChange;
import dev.parley.msg.search.SearchBackend;
import dev.parley.msg.search.SearchQuery;
import dev.parley.msg.store.Members;
import dev.parley.msg.store.Members.Range;
import dev.parley.msg.store.SearchDocs.Filter;
import dev.parley.msg.store.SearchDocs.Position;
import dev.parley.msg.store.SearchProgress;
import dev.parley.proto.client.Error.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.message.BasicHeader;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.Conflicts;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch._types.SortOptions;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.bulk.BulkOperation;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;
import org.opensearch.client.opensearch.core.search.Hit;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Message search in OpenSearch (design.md 14.6, {@code msg.search.backend: opensearch}). The
 * indexer sends each batch as one bulk request and moves its position (msg.opensearch_progress)
 * only once OpenSearch has accepted every item; the documents are keyed by (conversation, seq), so
 * a batch sent again after a crash gives the same index. Queries carry the caller's membership
 * windows as a filter, read from PostgreSQL in the search's own transaction; the service checks
 * each hit against the log all the same (MessageSearch), so a stale or wrong document can never
 * show a message the caller may not see.
 */
public final class OpenSearchBackend implements SearchBackend {
  private static final Logger log = LoggerFactory.getLogger(OpenSearchBackend.class);

  /**
   * Part of the index name: a change to messages-index.json (analyzers, fields) raises it, so the
   * new version is created beside the old one and the indexer fills it from the start.
   */
  static final int MAPPING_VERSION = 1;

  /** The order of results and of cursors: (sent_at, conversation_id, seq) descending. */
  private static final List<SortOptions> NEWEST_FIRST =
      List.of(
          desc(OpenSearchDocs.SENT_AT),
          desc(OpenSearchDocs.CONVERSATION),
          desc(OpenSearchDocs.SEQ));

  private final OpenSearchClient client;
  private final OpenSearchTransport transport;
  private final String index;
  private final Members members;

  /**
   * @param url the cluster's address, {@code http(s)://host:port} (https checks the server's
   *     certificate against the JVM's trust store)
   * @param indexPrefix the index is named {@code <prefix>-v<mapping version>}
   * @param username basic authentication; empty: none
   */
  public OpenSearchBackend(
      String url, String indexPrefix, String username, String password, Members members) {
    URI uri = URI.create(url);
    HttpHost host = new HttpHost(uri.getScheme(), uri.getHost(), uri.getPort());
    ApacheHttpClient5TransportBuilder b =
        ApacheHttpClient5TransportBuilder.builder(host).setMapper(new JacksonJsonpMapper());
    if (!username.isEmpty()) {
      String basic =
          Base64.getEncoder()
              .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
      b.setDefaultHeaders(
          new Header[] {new BasicHeader(HttpHeaders.AUTHORIZATION, "Basic " + basic)});
    }
    this.transport = b.build();
    this.client = new OpenSearchClient(transport);
    this.index = indexName(indexPrefix);
    this.members = members;
  }

  /** The name of the index with prefix {@code prefix} (msg.search.opensearch.index). */
  public static String indexName(String prefix) {
    return prefix + "-v" + MAPPING_VERSION;
  }

  @Override
  public SearchProgress progress() {
    return SearchProgress.OPENSEARCH;
  }

  @Override
  public boolean prepare() {
    try {
      if (client.indices().exists(e -> e.index(index)).value()) return false;
      try (Response r =
          client
              .generic()
              .execute(
                  Requests.builder()
                      .method("PUT")
                      .endpoint("/" + index)
                      .json(definition())
                      .build())) {
        if (r.getStatus() == 400 && body(r).contains("resource_already_exists_exception"))
          return false; // another msg instance created it a moment ago
        if (r.getStatus() / 100 != 2)
          throw new IllegalStateException(
              "OpenSearch refused to create index " + index + ": " + r.getStatus() + " " + body(r));
      }
      log.info("Created OpenSearch index {}", index);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("OpenSearch is unreachable", e);
    }
  }

  @Override
  public void apply(Handle h, List<IndexChange> changes) {
    if (changes.isEmpty()) return;
    List<BulkOperation> ops = new ArrayList<>(changes.size());
    for (IndexChange c : changes) {
      String id = OpenSearchDocs.id(c.conversationId(), c.seq());
      ops.add(
          switch (c) {
            case IndexChange.Put p ->
                BulkOperation.of(
                    o -> o.index(i -> i.index(index).id(id).document(OpenSearchDocs.document(p))));
            case IndexChange.Remove r ->
                BulkOperation.of(o -> o.delete(d -> d.index(index).id(id)));
          });
    }
    BulkResponse response;
    try {
      response = client.bulk(b -> b.operations(ops));
    } catch (IOException e) {
      throw new UncheckedIOException("OpenSearch is unreachable", e);
    }
    if (!response.errors()) return;
    for (BulkResponseItem item : response.items()) {
      // Deleting a document that was never indexed (recalled before indexing) is not an error.
      if (item.error() != null && item.status() != 404)
        throw new IllegalStateException(
            "OpenSearch refused document "
                + item.id()
                + ": "
                + Objects.requireNonNull(item.error()).reason());
    }
  }

  @Override
  public List<Position> candidates(
      Handle h, long userId, SearchQuery q, Filter filter, @Nullable Position after, int limit) {
    List<Range> visible = members.visibleRanges(h, userId);
    if (filter.conversationId() != 0)
      visible =
          visible.stream().filter(r -> r.conversationId() == filter.conversationId()).toList();
    if (visible.isEmpty()) return List.of();
    Query query = OpenSearchQuery.of(q, filter, visible);
    SearchResponse<Void> response;
    try {
      response =
          client.search(
              s -> {
                s.index(index)
                    .query(query)
                    .size(limit)
                    .source(src -> src.fetch(false))
                    .trackTotalHits(t -> t.enabled(false))
                    .sort(NEWEST_FIRST);
                if (after != null)
                  s.searchAfter(
                      List.of(
                          FieldValue.of(OpenSearchDocs.micros(after.sentAt())),
                          FieldValue.of(after.conversationId()),
                          FieldValue.of(after.seq())));
                return s;
              },
              Void.class);
    } catch (IOException | OpenSearchException e) {
      log.warn("OpenSearch search failed", e);
      throw new ParleyException(Reason.UNAVAILABLE, "search is unavailable right now");
    }
    List<Position> out = new ArrayList<>();
    for (Hit<Void> hit : response.hits().hits()) {
      List<FieldValue> sort = hit.sort();
      out.add(
          new Position(
              OpenSearchDocs.instant(sort.get(0).longValue()),
              sort.get(1).longValue(),
              sort.get(2).longValue()));
    }
    return out;
  }

  @Override
  public void forgetBefore(Instant cutoff) {
    long before = OpenSearchDocs.micros(cutoff);
    try {
      client.deleteByQuery(
          d ->
              d.index(index)
                  .conflicts(Conflicts.Proceed)
                  .query(
                      q -> q.range(r -> r.field(OpenSearchDocs.SENT_AT).lt(JsonData.of(before)))));
    } catch (IOException e) {
      throw new UncheckedIOException("OpenSearch is unreachable", e);
    }
  }

  @Override
  public void close() {
    try {
      transport.close();
    } catch (IOException e) {
      log.debug("Closing the OpenSearch client failed", e);
    }
  }

  private static SortOptions desc(String field) {
    return SortOptions.of(o -> o.field(f -> f.field(field).order(SortOrder.Desc)));
  }

  private static String definition() {
    try (InputStream in = OpenSearchBackend.class.getResourceAsStream("messages-index.json")) {
      if (in == null) throw new IllegalStateException("messages-index.json is missing");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String body(Response r) {
    return r.getBody().map(b -> new String(b.bodyAsBytes(), StandardCharsets.UTF_8)).orElse("");
  }
}
