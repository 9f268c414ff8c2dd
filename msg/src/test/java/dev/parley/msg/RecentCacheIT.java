package dev.parley.msg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.common.redis.RedisClients;
import dev.parley.common.redis.RedisConfig;
import dev.parley.msg.recent.RedisRecentEntries;
import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.CreateGroupRequest;
import dev.parley.proto.client.GetConversationsRequest;
import dev.parley.proto.client.GetConversationsResponse;
import dev.parley.proto.client.GetHistoryRequest;
import dev.parley.proto.client.GetHistoryResponse;
import dev.parley.proto.client.InviteMembersRequest;
import dev.parley.proto.client.LeaveGroupRequest;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.RecallMessageRequest;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.TextContent;
import dev.parley.testkit.PostgresExtension;
import dev.parley.testkit.RedisExtension;
import io.lettuce.core.RestoreArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The recent-entries cache against real Redis and PostgreSQL. Two message services share one
 * database (and its content key): {@link #cached} reads through the cache, {@link #plain} reads
 * only PostgreSQL. Whatever happens to Redis (a lost update, a stale list written back, a flush, a
 * stop), the two must answer alike; the read meters show which path answered.
 *
 * <p>The cache's commands are asynchronous on its own connection; this test inspects Redis on
 * another, so it awaits what it expects to see there before acting on it.
 */
class RecentCacheIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  @RegisterExtension static final RedisExtension redis = new RedisExtension();

  private static final String CONTENT_KEY = newKey();
  private static final AtomicLong CLIENT_MSG_IDS = new AtomicLong();

  static RedisClients clients;
  static MsgHarness cached;
  static MsgHarness plain;
  static StatefulRedisConnection<String, byte[]> adminConnection;
  static RedisCommands<String, byte[]> admin;

  @BeforeAll
  static void start() {
    clients =
        RedisClients.connect(
            new RedisConfig(
                redis.uri(),
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                Duration.ofMillis(100),
                "parley:"));
    // A generous read timeout: a loaded test machine must not turn hits into fallbacks.
    cached = new MsgHarness(postgres, RecentCacheIT::sharedKey, cache());
    plain = new MsgHarness(postgres, RecentCacheIT::sharedKey);
    adminConnection =
        clients.client().connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
    admin = adminConnection.sync();
  }

  @AfterAll
  static void stop() {
    cached.close();
    plain.close();
    adminConnection.close();
    clients.close();
  }

  static RecentCache cache() {
    return new RecentCache(
        clients, RecentCache.DEFAULT_SIZE, Duration.ofMinutes(10), Duration.ofSeconds(5));
  }

  static MsgConfig sharedKey(MsgConfig c) {
    return MsgHarness.withContentKey(c, CONTENT_KEY);
  }

  private static String newKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  /** A user both services know. */
  static long user() {
    long id = cached.newUser();
    plain.users.add(id);
    return id;
  }

  static long send(MsgHarness via, long from, long to, String text) {
    return via.messages(from)
        .sendMessage(
            SendMessageRequest.newBuilder()
                .setUserId(to)
                .setClientMsgId("m" + CLIENT_MSG_IDS.incrementAndGet())
                .setText(TextContent.newBuilder().setText(text))
                .build())
        .getConversationId();
  }

  static long sendAll(long from, long to, int count) {
    long conv = 0;
    for (int i = 1; i <= count; i++) conv = send(cached, from, to, "message " + i);
    return conv;
  }

  static GetHistoryResponse history(MsgHarness via, long user, long conv, int limit) {
    return via.messages(user)
        .getHistory(GetHistoryRequest.newBuilder().setConversationId(conv).setLimit(limit).build());
  }

  static GetConversationsResponse conversations(MsgHarness via, long user) {
    return via.messages(user).getConversations(GetConversationsRequest.getDefaultInstance());
  }

  /** The first history page through the cache, checked against PostgreSQL's. */
  static GetHistoryResponse sameHistory(long user, long conv, int limit) {
    GetHistoryResponse fromCache = history(cached, user, conv, limit);
    assertThat(fromCache).isEqualTo(history(plain, user, conv, limit));
    return fromCache;
  }

  static GetConversationsResponse sameConversations(long user) {
    GetConversationsResponse fromCache = conversations(cached, user);
    assertThat(fromCache).isEqualTo(conversations(plain, user));
    return fromCache;
  }

  static double reads(MsgHarness h, String result) {
    return h.meters.counter("parley.msg.recent.reads", "result", result).count();
  }

  /** Runs {@code read} and returns how the reads it made changed, by result. */
  static Map<String, Double> counted(MsgHarness h, Runnable read) {
    List<String> results = List.of("hit", "miss", "stale", "shallow", "failed");
    Map<String, Double> before =
        results.stream().collect(java.util.stream.Collectors.toMap(r -> r, r -> reads(h, r)));
    read.run();
    return results.stream()
        .filter(r -> reads(h, r) != before.get(r))
        .collect(java.util.stream.Collectors.toMap(r -> r, r -> reads(h, r) - before.get(r)));
  }

  static String key(long conv) {
    return RedisRecentEntries.key(clients, conv);
  }

  /**
   * Waits until the cached list's newest entry is {@code seq} and it holds {@code length} entries.
   */
  static void awaitCached(long conv, long seq, long length) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              byte[] head = admin.lindex(key(conv), 0);
              assertThat(head).as("cached head of " + conv).isNotNull();
              assertThat(ByteBuffer.wrap(head, 1, 8).getLong()).isEqualTo(seq);
              assertThat(admin.llen(key(conv))).isEqualTo(length);
            });
  }

  /** Puts back a list saved with DUMP: what a lost update plus a late refill could leave behind. */
  static void restore(long conv, byte[] dump) {
    admin.restore(key(conv), dump, RestoreArgs.Builder.ttl(Duration.ofMinutes(10)).replace());
  }

  @Test
  void theFirstHistoryPageAndTheLastMessageComeFromTheCache() {
    long alice = user();
    long bob = user();
    long conv = sendAll(alice, bob, 60);
    // Built by the write path alone: the first message started the list, the others went on top.
    awaitCached(conv, 60, 50);

    assertThat(
            counted(
                cached,
                () -> {
                  GetHistoryResponse page = sameHistory(bob, conv, 50);
                  assertThat(page.getMessagesList())
                      .extracting(Message::getSeq)
                      .startsWith(60L)
                      .endsWith(11L);
                  assertThat(page.getMore()).isTrue();
                }))
        .isEqualTo(Map.of("hit", 1.0));
    assertThat(counted(cached, () -> sameHistory(alice, conv, 10))).isEqualTo(Map.of("hit", 1.0));
    assertThat(
            counted(
                cached,
                () -> {
                  GetConversationsResponse list = sameConversations(bob);
                  assertThat(list.getConversations(0).getLastMessage().getText().getText())
                      .isEqualTo("message 60");
                }))
        .isEqualTo(Map.of("hit", 1.0));

    // Larger than the cache: read from PostgreSQL, and the full list is left as it is.
    assertThat(counted(cached, () -> sameHistory(bob, conv, 100)))
        .isEqualTo(Map.of("shallow", 1.0));
    awaitCached(conv, 60, 50);
  }

  @Test
  void aMissOrAFlushRefillsFromPostgres() {
    long alice = user();
    long bob = user();
    long conv = sendAll(alice, bob, 5);
    awaitCached(conv, 5, 5);
    admin.flushall();

    assertThat(counted(cached, () -> sameHistory(bob, conv, 50))).isEqualTo(Map.of("miss", 1.0));
    awaitCached(conv, 5, 5);
    assertThat(counted(cached, () -> sameHistory(bob, conv, 50))).isEqualTo(Map.of("hit", 1.0));

    admin.flushall();
    assertThat(counted(cached, () -> sameConversations(bob))).isEqualTo(Map.of("miss", 1.0));
    awaitCached(conv, 5, 1); // the list refills with the one entry it read
    // A short list serves the list screen, and is filled up by the first history page.
    assertThat(counted(cached, () -> sameConversations(alice))).isEqualTo(Map.of("hit", 1.0));
    assertThat(counted(cached, () -> sameHistory(alice, conv, 50)))
        .isEqualTo(Map.of("shallow", 1.0));
    awaitCached(conv, 5, 5);
    assertThat(counted(cached, () -> sameHistory(alice, conv, 50))).isEqualTo(Map.of("hit", 1.0));
  }

  @Test
  void aListThatMissedANewMessageIsNotServed() {
    long alice = user();
    long bob = user();
    long conv = sendAll(alice, bob, 10);
    awaitCached(conv, 10, 10);
    byte[] before = admin.dump(key(conv));
    send(cached, bob, alice, "the newest");
    awaitCached(conv, 11, 11);
    restore(conv, before);

    assertThat(
            counted(
                cached,
                () -> {
                  GetHistoryResponse page = sameHistory(alice, conv, 50);
                  assertThat(page.getMessages(0).getText().getText()).isEqualTo("the newest");
                }))
        .isEqualTo(Map.of("stale", 1.0));
    awaitCached(conv, 11, 11);
    assertThat(counted(cached, () -> sameHistory(alice, conv, 50))).isEqualTo(Map.of("hit", 1.0));

    restore(conv, before);
    assertThat(
            counted(
                cached,
                () -> {
                  GetConversationsResponse list = sameConversations(alice);
                  assertThat(list.getConversations(0).getLastMessage().getText().getText())
                      .isEqualTo("the newest");
                }))
        .isEqualTo(Map.of("stale", 1.0));
  }

  @Test
  void aRecalledMessageIsNeverServedFromAnOlderList() {
    long alice = user();
    long bob = user();
    long conv = sendAll(alice, bob, 10);
    awaitCached(conv, 10, 10);
    byte[] before = admin.dump(key(conv));

    long recallSeq =
        cached
            .messages(alice)
            .recallMessage(
                RecallMessageRequest.newBuilder().setConversationId(conv).setSeq(5).build())
            .getSeq();
    assertThat(recallSeq).isEqualTo(11);
    awaitCached(conv, 11, 1); // the recall dropped the list and started a new one
    restore(conv, before); // the list from before the recall, with message 5's text

    assertThat(
            counted(
                cached,
                () -> {
                  GetHistoryResponse page = sameHistory(bob, conv, 50);
                  Message recalled =
                      page.getMessagesList().stream()
                          .filter(m -> m.getSeq() == 5)
                          .findFirst()
                          .orElseThrow();
                  assertThat(recalled.getRecalled()).isTrue();
                  assertThat(recalled.hasText()).isFalse();
                }))
        .isEqualTo(Map.of("stale", 1.0));

    restore(conv, before);
    assertThat(
            counted(
                cached,
                () -> {
                  GetConversationsResponse list = sameConversations(bob);
                  assertThat(list.getConversations(0).getLastMessage().getSeq()).isEqualTo(11);
                }))
        .isEqualTo(Map.of("stale", 1.0));
  }

  @Test
  void aStoppedRedisFallsBackToPostgresWithTheSameAnswers() {
    long alice = user();
    long bob = user();
    long conv = sendAll(alice, bob, 10);
    awaitCached(conv, 10, 10);
    redis.stop();
    try {
      assertThat(counted(cached, () -> sameHistory(bob, conv, 50)))
          .isEqualTo(Map.of("failed", 1.0));
      assertThat(counted(cached, () -> sameConversations(bob))).isEqualTo(Map.of("failed", 1.0));
      // Sending does not need the cache either.
      send(cached, bob, alice, "while Redis is down");
      assertThat(sameHistory(alice, conv, 50).getMessages(0).getText().getText())
          .isEqualTo("while Redis is down");
      assertThat(cached.meters.find("parley.msg.recent.failures").counters()).isNotEmpty();
    } finally {
      redis.start();
    }
    // Back (empty): the next reads refill it and then hit, with the same answers throughout.
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(counted(cached, () -> sameHistory(alice, conv, 50)))
                    .isEqualTo(Map.of("hit", 1.0)));
    awaitCached(conv, 11, 11);
  }

  @Test
  void theCachedEntriesHoldNoPlaintext() {
    long alice = user();
    long bob = user();
    long conv = send(cached, alice, bob, "the password is swordfish");
    send(cached, bob, alice, "noted");
    awaitCached(conv, 2, 2);
    assertThat(
            counted(
                cached,
                () -> {
                  GetHistoryResponse page = sameHistory(alice, conv, 50);
                  assertThat(page.getMessages(1).getText().getText())
                      .isEqualTo("the password is swordfish");
                }))
        .isEqualTo(Map.of("hit", 1.0));

    List<byte[]> elements = admin.lrange(key(conv), 0, -1);
    assertThat(elements).hasSize(2);
    for (byte[] element : elements) {
      String raw = new String(element, StandardCharsets.ISO_8859_1);
      assertThat(raw)
          .doesNotContain("swordfish")
          .doesNotContain("password")
          .doesNotContain("noted");
    }
  }

  @Test
  void visibilityIsAppliedToCachedEntries() {
    long alice = user();
    long bob = user();
    long carol = user();
    long group =
        cached
            .groups(alice)
            .createGroup(CreateGroupRequest.newBuilder().setTitle("g").addUserIds(bob).build())
            .getConversation()
            .getConversationId();
    for (int i = 0; i < 5; i++) sendToGroup(alice, group, "before carol " + i);
    long joined =
        cached
            .groups(alice)
            .inviteMembers(
                InviteMembersRequest.newBuilder()
                    .setConversationId(group)
                    .addUserIds(carol)
                    .build())
            .getSeq();
    for (int i = 0; i < 3; i++) sendToGroup(alice, group, "with carol " + i);
    long left =
        cached
            .groups(bob)
            .leaveGroup(LeaveGroupRequest.newBuilder().setConversationId(group).build())
            .getSeq();
    for (int i = 0; i < 2; i++) sendToGroup(alice, group, "after bob " + i);
    awaitCached(group, left + 2, left + 2);

    assertThat(
            counted(
                cached,
                () -> {
                  for (long u : List.of(alice, bob, carol)) sameHistory(u, group, 50);
                }))
        .isEqualTo(Map.of("hit", 3.0));
    assertThat(history(cached, carol, group, 50).getMessagesList())
        .extracting(Message::getSeq)
        .endsWith(joined);
    assertThat(history(cached, bob, group, 50).getMessagesList())
        .extracting(Message::getSeq)
        .startsWith(left);
    for (long u : List.of(alice, bob, carol)) {
      Conversation c =
          sameConversations(u).getConversationsList().stream()
              .filter(x -> x.getConversationId() == group)
              .findFirst()
              .orElseThrow();
      assertThat(c.getLastMessage().getSeq()).isEqualTo(u == bob ? left : left + 2);
    }
  }

  static void sendToGroup(long from, long group, String text) {
    cached
        .messages(from)
        .sendMessage(
            SendMessageRequest.newBuilder()
                .setConversationId(group)
                .setClientMsgId("m" + CLIENT_MSG_IDS.incrementAndGet())
                .setText(TextContent.newBuilder().setText(text))
                .build());
  }

  @Test
  void entriesThatRetentionMayHaveDeletedAreNotServed() {
    Function<MsgConfig, MsgConfig> withRetention =
        c -> MsgHarness.withHistoryRetention(sharedKey(c), Duration.ofDays(1));
    try (MsgHarness retaining = new MsgHarness(postgres, withRetention, cache())) {
      long alice = retaining.newUser();
      long bob = retaining.newUser();
      plain.users.add(alice);
      plain.users.add(bob);
      long conv = 0;
      for (int i = 0; i < 3; i++) conv = send(retaining, alice, bob, "kept for a day " + i);
      long c = conv;
      awaitCached(conv, 3, 3);
      assertThat(
              counted(
                  retaining,
                  () ->
                      assertThat(history(retaining, bob, c, 50))
                          .isEqualTo(history(plain, bob, c, 50))))
          .isEqualTo(Map.of("hit", 1.0));

      // Half a minute before the cutoff: within the clock-skew allowance, so PostgreSQL answers.
      retaining.clockOffsetMs.set(Duration.ofDays(1).minusSeconds(30).toMillis());
      assertThat(
              counted(
                  retaining,
                  () ->
                      assertThat(history(retaining, bob, c, 50))
                          .isEqualTo(history(plain, bob, c, 50))))
          .isEqualTo(Map.of("shallow", 1.0));
      assertThat(
              counted(
                  retaining,
                  () ->
                      assertThat(conversations(retaining, bob))
                          .isEqualTo(conversations(plain, bob))))
          .isEqualTo(Map.of("shallow", 1.0));
    }
  }
}
