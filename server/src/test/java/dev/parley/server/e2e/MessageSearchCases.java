package dev.parley.server.e2e;

import static dev.parley.server.e2e.TestUsers.group;
import static dev.parley.server.e2e.TestUsers.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.client.ClientException;
import dev.parley.client.Futures;
import dev.parley.client.Recipient;
import dev.parley.proto.client.CreateGroupResponse;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.SearchKind;
import dev.parley.proto.client.SearchMessagesRequest;
import dev.parley.proto.client.SearchMessagesResponse;
import dev.parley.proto.client.SearchMessagesResponse.Hit;
import dev.parley.proto.client.SendMessageResponse;
import dev.parley.testkit.PostgresExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The message search suite, run against each backend (design.md 14.6): {@link SearchIT} on the
 * keyed tokens in PostgreSQL, {@link OpenSearchSearchIT} on an OpenSearch node. Issue 13 end to end
 * over the WebSocket protocol (design.md 14, protocol.md 22): words with folded accents, a
 * one-character Chinese query, Japanese, Korean and mixed script, prefix while typing, filters and
 * paging; exact visibility (a removed member finds nothing sent after the removal, a recalled
 * message disappears at once, an edited one is found by its new text only, a block hides no history
 * and adds none); history retention emptying the index of what it deleted; and the indexer catching
 * up after a restart from its durable position. Indexing is asynchronous (design 14.4), so a search
 * for something just sent is repeated until it appears (within {@link #INDEXED}); the absence of
 * something is asserted only after a later message in the same conversation has been found, so the
 * indexer has passed it. One server for all cases of a class, keeping history for {@link
 * #RETENTION}: the retention case moves its clock past that.
 */
abstract class MessageSearchCases {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();

  /** How long a sent message may take to become findable here (1 s is the target, CI is slow). */
  static final long INDEXED = 10_000;

  /** msg.history-retention of the server: messages older than this are deleted. */
  static final Duration RETENTION = Duration.ofMinutes(10);

  static TestNode node;
  static DevCodes codes;
  final TestUsers users = new TestUsers(node, codes);

  /** Starts the node with the backend's configuration (from the subclass's {@code @BeforeAll}). */
  static void startNode(Map<String, String> backend) {
    Map<String, String> config = new HashMap<>(backend);
    config.put("msg.history-retention", RETENTION.toMinutes() + "m");
    node = TestNode.start(postgres, config);
    codes = new DevCodes(node.dataDir);
  }

  @AfterAll
  static void stopNode() {
    if (node != null) node.close();
    node = null;
  }

  /**
   * Makes the index forget conversation {@code conversationId}'s messages from {@code fromSeq} on,
   * at once (as a crash before they were indexed, or a tokenizer change, leaves it).
   */
  abstract void forgetIndexed(long conversationId, long fromSeq) throws Exception;

  /** Sets the indexer's durable position in conversation {@code conversationId} to {@code seq}. */
  abstract void setIndexedSeq(long conversationId, long seq) throws Exception;

  /** How many documents (rows) the index holds for conversation {@code conversationId}. */
  abstract long indexedDocuments(long conversationId) throws Exception;

  static void update(String sql, long a, long b) throws SQLException {
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "");
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setLong(1, a);
      s.setLong(2, b);
      s.executeUpdate();
    }
  }

  static long count(String sql, long a) throws SQLException {
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "");
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setLong(1, a);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  @AfterEach
  void closeDevices() {
    users.close();
  }

  static SearchMessagesResponse search(Device d, SearchMessagesRequest.Builder r) {
    return Futures.await(d.messenger.searchMessages(r.build()));
  }

  static List<Hit> search(Device d, String query, long conversation) {
    return search(
            d, SearchMessagesRequest.newBuilder().setQuery(query).setConversationId(conversation))
        .getHitsList();
  }

  /** Searches until the hits satisfy {@code until} (the indexer is asynchronous). */
  static List<Hit> awaitHits(
      Device d, String query, long conversation, Predicate<List<Hit>> until) {
    AtomicReference<List<Hit>> last = new AtomicReference<>(List.of());
    try {
      return await()
          .atMost(Duration.ofMillis(INDEXED))
          .pollInterval(Duration.ofMillis(50))
          // After a restart the device reconnects by itself: ask again.
          .ignoreExceptionsInstanceOf(RuntimeException.class)
          .until(
              () -> {
                last.set(search(d, query, conversation));
                return last.get();
              },
              until);
    } catch (ConditionTimeoutException e) {
      assertThat(until).as("hits for %s: %s", query, last.get()).accepts(last.get());
      throw e;
    }
  }

  static List<Long> seqs(List<Hit> hits) {
    return hits.stream().map(Hit::getSeq).toList();
  }

  /** The marked parts of a hit's snippet. */
  private static List<String> marked(Hit h) {
    List<String> out = new ArrayList<>();
    for (var m : h.getHighlightsList())
      out.add(h.getSnippet().substring(m.getOffset(), m.getOffset() + m.getLength()));
    return out;
  }

  @Test
  void wordsCjkAndMixedScriptAreFoundWithTheMatchMarked_filteredAndPagedNewestFirst() {
    Device ann = users.user("ann", 1).get(0);
    Device ben = users.user("ben", 2).get(1); // a protobuf device
    long g = group(ann, ben);
    long muller = send(ann, g, "Meeting tomorrow with Herr Müller");
    long beijing = send(ben, g, "我们明天去北京开会");
    long zoom = send(ann, g, "明天的Zoom会议取消了");
    long tokyo = send(ben, g, "東京で会議があります");
    long seoul = send(ann, g, "서울에서 회의가 있습니다");
    long link = send(ann, g, "Slides: https://example.com/q4-plan");

    // The last message sent is findable: the indexer has passed all the others.
    awaitHits(ben, "slides", g, h -> seqs(h).equals(List.of(link)));

    List<Hit> hits = search(ben, "MULLER meeting ", g);
    assertThat(seqs(hits)).containsExactly(muller);
    assertThat(marked(hits.get(0))).containsExactly("Meeting", "Müller");
    assertThat(hits.get(0).getSenderId()).isEqualTo(ann.userId());
    assertThat(hits.get(0).getKind()).isEqualTo(SearchKind.Kind.TEXT);

    // One Chinese character: every message holding it (北京, and 東京 in Japanese), newest first.
    hits = search(ann, "京", g);
    assertThat(seqs(hits)).containsExactly(tokyo, beijing);
    assertThat(marked(hits.get(1))).containsExactly("京");
    assertThat(seqs(search(ann, "北京开会", g))).containsExactly(beijing);
    assertThat(search(ann, "北京去", g)).isEmpty();
    assertThat(seqs(search(ann, "会議", g))).containsExactly(tokyo);
    assertThat(seqs(search(ann, "회의", g))).containsExactly(seoul);
    hits = search(ben, "zoom 会议", g);
    assertThat(seqs(hits)).containsExactly(zoom);
    assertThat(marked(hits.get(0))).containsExactly("Zoom", "会议");

    // While typing the last word is a prefix; a finished word is whole.
    assertThat(seqs(search(ann, "herr mul", g))).containsExactly(muller);
    assertThat(search(ann, "herr mul ", g)).isEmpty();
    assertThat(seqs(search(ann, "\"with herr\"", g))).containsExactly(muller);
    assertThat(search(ann, "\"herr with\"", g)).isEmpty();

    // Filters: kind, sender, all conversations.
    assertThat(
            seqs(
                search(
                        ann,
                        SearchMessagesRequest.newBuilder()
                            .setQuery("plan")
                            .setKind(SearchKind.Kind.LINK))
                    .getHitsList()))
        .containsExactly(link);
    assertThat(
            search(
                    ann,
                    SearchMessagesRequest.newBuilder()
                        .setQuery("meeting")
                        .setKind(SearchKind.Kind.LINK))
                .getHitsList())
        .isEmpty();
    assertThat(
            seqs(
                search(
                        ann,
                        SearchMessagesRequest.newBuilder().setQuery("明天").setSenderId(ben.userId()))
                    .getHitsList()))
        .containsExactly(beijing);

    // Paging: one hit per page, newest first, the cursor stable while a new match arrives.
    SearchMessagesResponse first =
        search(ann, SearchMessagesRequest.newBuilder().setQuery("明天").setLimit(1));
    assertThat(seqs(first.getHitsList())).containsExactly(zoom);
    long later = send(ann, g, "明天见");
    awaitHits(ann, "明天见", g, h -> seqs(h).equals(List.of(later)));
    SearchMessagesResponse second =
        search(
            ann,
            SearchMessagesRequest.newBuilder()
                .setQuery("明天")
                .setLimit(1)
                .setCursor(first.getNextCursor()));
    assertThat(seqs(second.getHitsList())).containsExactly(beijing);
  }

  @Test
  void
      aRemovedMemberFindsNothingSentAfterTheRemoval_recallsVanishAtOnce_editsAreFoundByTheirNewText() {
    Device ann = users.user("ann", 1).get(0);
    Device ben = users.user("ben", 1).get(0);
    Device cat = users.user("cat", 1).get(0);
    long g = group(ann, ben, cat);
    long alpha = send(ann, g, "budget alpha");
    awaitHits(ben, "budget", g, h -> seqs(h).equals(List.of(alpha)));

    Futures.await(ann.connection.removeMember(g, ben.userId()));
    long beta = send(ann, g, "budget beta");
    awaitHits(cat, "budget", g, h -> seqs(h).equals(List.of(beta, alpha)));
    // What ben could read he still finds (as in his history); nothing after he was removed.
    assertThat(seqs(search(ben, "budget", 0))).containsExactly(alpha);
    assertThat(search(ben, "beta", g)).isEmpty();

    long recalled = send(cat, g, "secret budget gamma");
    awaitHits(ann, "gamma", g, h -> seqs(h).equals(List.of(recalled)));
    Futures.await(cat.connection.recallMessage(g, recalled));
    // At once: no waiting for the indexer.
    assertThat(search(ann, "gamma", g)).isEmpty();
    assertThat(seqs(search(ann, "budget", g))).containsExactly(beta, alpha);

    Futures.await(ann.messenger.editText(g, beta, "forecast delta"));
    // The old words stop matching at once; the new ones once the edit is indexed.
    assertThat(search(cat, "beta", g)).isEmpty();
    List<Hit> edited = awaitHits(cat, "delta", g, h -> seqs(h).equals(List.of(beta)));
    assertThat(edited.get(0).getSnippet()).isEqualTo("forecast delta");
    assertThat(seqs(search(cat, "budget", g))).containsExactly(alpha);
  }

  @Test
  void theIndexerCatchesUpAfterARestartFromItsDurablePosition_andReindexRebuildsOnline()
      throws Exception {
    Device ann = users.user("ann", 1).get(0);
    Device ben = users.user("ben", 1).get(0);
    long g = group(ann, ben);
    long one = send(ann, g, "restart kilo");
    long two = send(ann, g, "restart lima");
    awaitHits(ben, "restart", g, h -> seqs(h).equals(List.of(two, one)));

    // The state a crash leaves when messages committed but the indexer had not applied them yet:
    // the conversation's position behind its log and no rows for what follows it. Then a restart:
    // the indexer's start-up scan finds the conversation behind and applies the rest.
    forgetIndexed(g, one);
    setIndexedSeq(g, one - 1);
    node.restart();
    awaitHits(ann, "restart", g, h -> seqs(h).equals(List.of(two, one)));

    // parley admin reindex rebuilds, while the node serves, rows that are not there (as after a
    // tokenizer change: the index no longer holds what queries ask for). The position is at the
    // head, so nothing else would bring them back.
    forgetIndexed(g, 1);
    assertThat(search(ann, "restart", g)).isEmpty();
    HttpResponse<String> reindex =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + node.adminPort() + "/search/reindex"))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(reindex.statusCode()).as(reindex.body()).isEqualTo(200);
    assertThat(reindex.body()).startsWith("reindex started");
    awaitHits(ann, "restart", g, h -> seqs(h).equals(List.of(two, one)));
  }

  @Test
  void aBlockHidesNoHistoryFromSearchAndAddsNone_inTheOneToOneChatAndASharedGroup() {
    Device ann = users.user("ann", 1).get(0);
    Device ben = users.user("ben", 1).get(0);
    long g = group(ann, ben);
    var first = Futures.await(ann.messenger.sendText(Recipient.user(ben.userId()), "harbor one"));
    long direct = first.getConversationId();
    long two = send(ben, direct, "harbor two");
    long three = send(ben, g, "harbor three");
    awaitHits(ann, "harbor", 0, h -> h.size() == 3);

    Futures.await(ann.connection.blockUser(ben.userId()));
    // Nothing new arrives in the one-to-one chat, either way; the group goes on for both.
    for (Device d : List.of(ann, ben))
      assertThatThrownBy(() -> send(d, direct, "harbor refused"))
          .isInstanceOfSatisfying(
              ClientException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BLOCKED));
    long four = send(ben, g, "harbor four");
    long five = send(ann, g, "harbor five");

    // Blocker and blocked each find exactly what their history shows: everything from before the
    // block, and the group's messages from after it (the blocked user's too).
    Set<String> all =
        Set.of(
            direct + "/" + first.getSeq(),
            direct + "/" + two,
            g + "/" + three,
            g + "/" + four,
            g + "/" + five);
    for (Device d : List.of(ann, ben)) {
      List<Hit> hits = awaitHits(d, "harbor", 0, h -> h.size() == all.size());
      assertThat(hits)
          .extracting(h -> h.getConversationId() + "/" + h.getSeq())
          .hasSameElementsAs(all);
      assertThat(historyWith(d, "harbor", direct, g)).hasSameElementsAs(all);
      assertThat(search(d, "refused", direct)).isEmpty();
    }
    assertThat(seqs(search(ann, "harbor", direct))).containsExactly(two, first.getSeq());
  }

  /** The (conversation/seq) of the texts in {@code d}'s history that hold {@code word}. */
  private static List<String> historyWith(Device d, String word, long... conversations) {
    List<String> out = new ArrayList<>();
    for (long c : conversations)
      for (Message m : d.history(c))
        if (m.getText().getText().contains(word)) out.add(c + "/" + m.getSeq());
    return out;
  }

  @Test
  void historyRetentionDeletesOldMessagesFromResultsAndFromTheIndex() throws Exception {
    Device ann = users.user("ann", 1).get(0);
    Device ben = users.user("ben", 1).get(0);
    long g = group(ann, ben);
    long old = send(ann, g, "archive first quarter");
    awaitHits(ben, "archive", g, h -> seqs(h).equals(List.of(old)));
    assertThat(indexedDocuments(g)).isOne();

    node.clock.advance(RETENTION.plusMinutes(1));
    long recent = send(ann, g, "archive second quarter");
    awaitHits(ben, "archive", g, h -> seqs(h).equals(List.of(recent, old)));

    assertThat(node.runRetention()).isPositive();
    assertThat(seqs(search(ben, "archive", g))).containsExactly(recent);
    assertThat(search(ann, "first", g)).isEmpty();
    // Not only hidden (its entry is gone, which the service checks): the index holds it no more.
    await()
        .atMost(Duration.ofMillis(INDEXED))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> indexedDocuments(g), n -> n == 1);
  }

  /** Below the gateway's limit of requests in flight per connection. */
  private static final int SEND_WINDOW = 32;

  /**
   * Sends {@code texts[i]} to {@code conversations[i]} from {@code d}, up to {@link #SEND_WINDOW}
   * at once (a burst, as many users sending together make); returns the seqs.
   */
  static long[] sendAll(Device d, long[] conversations, String[] texts) {
    long[] seqs = new long[texts.length];
    for (int from = 0; from < texts.length; from += SEND_WINDOW) {
      List<CompletableFuture<SendMessageResponse>> window = new ArrayList<>();
      for (int i = from; i < Math.min(texts.length, from + SEND_WINDOW); i++)
        window.add(d.messenger.sendText(Recipient.conversation(conversations[i]), texts[i]));
      for (int i = 0; i < window.size(); i++)
        seqs[from + i] = Futures.await(window.get(i)).getSeq();
    }
    return seqs;
  }

  @Test
  void aBurstOverManyConversationsIsAllFound() {
    Device ann = users.user("ann", 1).get(0);
    Device ben = users.user("ben", 1).get(0);
    int n = 200;
    long[] groups = new long[n];
    String[] texts = new String[n];
    for (int from = 0; from < n; from += SEND_WINDOW) {
      List<CompletableFuture<CreateGroupResponse>> window = new ArrayList<>();
      for (int i = from; i < Math.min(n, from + SEND_WINDOW); i++)
        window.add(ann.connection.createGroup("g" + i, List.of(ben.userId())));
      for (int i = 0; i < window.size(); i++)
        groups[from + i] = Futures.await(window.get(i)).getConversation().getConversationId();
    }
    for (int i = 0; i < n; i++) texts[i] = "fanout in chat " + i;
    // Many conversations with one new message each: the indexer applies several per transaction.
    long[] seqs = sendAll(ann, groups, texts);
    Set<List<Long>> sent = new HashSet<>();
    for (int i = 0; i < n; i++) sent.add(List.of(groups[i], seqs[i]));
    await()
        .atMost(Duration.ofMillis(INDEXED))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> assertThat(allHits(ben, "fanout")).isEqualTo(sent));
  }

  /** Every (conversation, seq) that {@code query} finds for {@code d}, page after page. */
  static Set<List<Long>> allHits(Device d, String query) {
    Set<List<Long>> found = new HashSet<>();
    SearchMessagesRequest.Builder r =
        SearchMessagesRequest.newBuilder().setQuery(query).setLimit(50);
    while (true) {
      SearchMessagesResponse page = search(d, r);
      for (Hit h : page.getHitsList()) found.add(List.of(h.getConversationId(), h.getSeq()));
      if (page.getNextCursor().isEmpty() || page.getHitsList().isEmpty()) return found;
      r.setCursor(page.getNextCursor());
    }
  }

  @Test
  void aConversationLongerThanABatchIsFullyIndexed_andOneBehindItIsFoundToo() {
    Device ann = users.user("ann", 1).get(0);
    Device ben = users.user("ben", 1).get(0);
    long big = group(ann, ben);
    long small = group(ann, ben);
    int n = 1_200; // more than two transactions' budget (500 entries)
    long[] to = new long[n];
    String[] texts = new String[n];
    for (int i = 0; i < n; i++) {
      to[i] = big;
      texts[i] = "bulk message w" + i;
    }
    long[] seqs = sendAll(ann, to, texts);
    long needle = send(ann, small, "needle behind the bulk");

    awaitHits(ben, "needle", small, h -> seqs(h).equals(List.of(needle)));
    // The first and the last of the long conversation; the last is found only once the indexer's
    // position has passed every message before it.
    awaitHits(ben, "w" + (n - 1) + " ", big, h -> seqs(h).equals(List.of(seqs[n - 1])));
    assertThat(seqs(search(ben, "w0 ", big))).containsExactly(seqs[0]);
    assertThat(seqs(search(ben, "w600 ", big))).containsExactly(seqs[600]);
  }
}
