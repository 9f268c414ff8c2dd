package dev.parley.server.e2e;

import static dev.parley.server.e2e.TestUsers.group;
import static dev.parley.server.e2e.TestUsers.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.msg.search.opensearch.OpenSearchBackend;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The message search suite on the OpenSearch backend (design.md 14.6), against a real OpenSearch
 * node in this JVM; plus what only this backend has: the analysis chain of its index, and what the
 * index keeps of a message.
 */
class OpenSearchSearchIT extends MessageSearchCases {
  private static final String PREFIX = "parley-test";
  private static final String INDEX = OpenSearchBackend.indexName(PREFIX);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  static OpenSearchNode openSearch;

  @BeforeAll
  static void start() {
    openSearch = OpenSearchNode.start();
    startNode(
        Map.of(
            "msg.search.backend",
            "opensearch",
            "msg.search.opensearch.url",
            openSearch.url(),
            "msg.search.opensearch.index",
            PREFIX));
  }

  @AfterAll
  static void stopOpenSearch() {
    // The node first: its indexer writes to OpenSearch until it stops.
    stopNode();
    openSearch.close();
  }

  @Override
  void forgetIndexed(long conversationId, long fromSeq) throws Exception {
    // With refresh: the next search must not see them.
    JsonNode r =
        call(
            "POST",
            "/" + INDEX + "/_delete_by_query?refresh=true",
            "{\"query\": {\"bool\": {\"filter\": [{\"term\": {\"conversation_id\": "
                + conversationId
                + "}}, {\"range\": {\"seq\": {\"gte\": "
                + fromSeq
                + "}}}]}}}");
    assertThat(r.path("failures")).as(r.toString()).isEmpty();
  }

  @Override
  long indexedDocuments(long conversationId) throws Exception {
    return documents(conversationId);
  }

  @Override
  void setIndexedSeq(long conversationId, long seq) throws Exception {
    update(
        "UPDATE msg.opensearch_progress SET indexed_seq = ? WHERE conversation_id = ?",
        seq,
        conversationId);
  }

  @Test
  void theIndexAnalyzerFoldsCaseAndDiacritics_andMakesCjkUnigramsAndBigrams_andWordPrefixes()
      throws Exception {
    assertThat(tokens("parley_text", "Herr MÜLLER, Straße"))
        .containsExactly("herr", "muller", "strasse");
    assertThat(tokens("parley_text", "北京")).containsExactlyInAnyOrder("北", "北京", "京");
    assertThat(tokens("parley_text", "京")).containsExactly("京");
    assertThat(tokens("parley_text", "東京で会議"))
        .containsExactlyInAnyOrder("東", "東京", "京", "京で", "で", "で会", "会", "会議", "議");
    assertThat(tokens("parley_text", "회의가")).containsExactlyInAnyOrder("회", "회의", "의", "의가", "가");
    // Runs of different scripts are not joined: no bigram across a space or a Latin word.
    assertThat(tokens("parley_text", "明天的 zoom 会议"))
        .containsExactlyInAnyOrder("明", "明天", "天", "天的", "的", "zoom", "会", "会议", "议");
    // Full-width Latin letters are folded to the ordinary ones.
    assertThat(tokens("parley_text", "ＺＯＯＭ")).containsExactly("zoom");
    assertThat(tokens("parley_prefix", "Meeting"))
        .containsExactly("me", "mee", "meet", "meeti", "meetin", "meeting");
  }

  @Test
  void theIndexKeepsTheWordsOfAMessageButNotItsText() throws Exception {
    Device ann = users.user("ann", 1).get(0);
    Device ben = users.user("ben", 1).get(0);
    long g = group(ann, ben);
    long seq = send(ann, g, "Wir treffen uns in der Straße, don't be late!");
    // The indexer writes the document (refreshed within a second)...
    await()
        .atMost(Duration.ofMillis(INDEXED))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> documents(g), n -> n == 1);
    // ... and search finds it.
    awaitHits(ben, "strasse", g, h -> seqs(h).equals(List.of(seq)));

    JsonNode doc = call("GET", "/" + INDEX + "/_doc/" + g + "%2F" + seq, null);
    assertThat(doc.path("found").asBoolean()).isTrue();
    assertThat(doc.path("_source").has("text")).isFalse();
    assertThat(doc.path("_source").path("sender_id").asLong()).isEqualTo(ann.userId());
    // The words as both backends split them: "don't" is "don" and "t".
    assertThat(seqs(awaitHits(ben, "don", g, h -> !h.isEmpty()))).containsExactly(seq);
  }

  private static long documents(long conversationId) throws Exception {
    return call(
            "POST",
            "/" + INDEX + "/_count",
            "{\"query\": {\"term\": {\"conversation_id\": " + conversationId + "}}}")
        .path("count")
        .asLong();
  }

  private static List<String> tokens(String analyzer, String text) throws Exception {
    JsonNode r =
        call(
            "POST",
            "/" + INDEX + "/_analyze",
            JSON.writeValueAsString(Map.of("analyzer", analyzer, "text", text)));
    List<String> out = new ArrayList<>();
    for (JsonNode t : r.path("tokens")) out.add(t.path("token").asText());
    return out;
  }

  private static JsonNode call(String method, String path, @Nullable String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(openSearch.url() + path))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
    return JSON.readTree(r.body());
  }
}
