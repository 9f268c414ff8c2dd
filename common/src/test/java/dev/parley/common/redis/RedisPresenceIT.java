package dev.parley.common.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.common.error.ParleyException;
import dev.parley.common.presence.PresenceStatus.Status;
import dev.parley.proto.client.Error.Reason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RedisPresence} against a real Redis. The gateways of a test share one connection, and
 * Redis runs one connection's commands in the order they were sent (RedisScript keeps it so while
 * the script cache is intact), so a read through the presence right after an asynchronous write
 * sees it; effects written on the side (lazy deletes), expiries and reads on the test's own
 * connection are awaited or come after such a read.
 */
class RedisPresenceIT {
  private static final String PREFIX = "presence-test:";
  private static final Duration LONG = Duration.ofMinutes(5);

  @RegisterExtension static final EmbeddedRedis redis = new EmbeddedRedis();

  private static RedisClients clients;
  private static SimpleMeterRegistry meters;

  @BeforeAll
  static void connect() {
    clients = redis.connect(PREFIX);
    meters = new SimpleMeterRegistry();
  }

  @AfterAll
  static void close() {
    clients.close();
  }

  @BeforeEach
  void wipe() {
    redis.admin().flushall();
  }

  private static RedisPresence gateway(String id, Duration ttl) {
    return new RedisPresence(
        clients, new PresenceConfig(id, id + ".internal:9000", ttl, ttl.dividedBy(3)), meters);
  }

  /** Like isEqualTo, but names only the users that differ instead of printing both maps. */
  private static void assertSameGateways(
      Map<Long, Set<String>> actual, Map<Long, Set<String>> expected) {
    Set<Long> users = new TreeSet<>(actual.keySet());
    users.addAll(expected.keySet());
    users.removeIf(u -> Objects.equals(actual.get(u), expected.get(u)));
    assertThat(users).as("users whose gateways are not as expected").isEmpty();
  }

  private static List<Long> users(long from, long to) {
    return LongStream.range(from, to).boxed().toList();
  }

  @Test
  void recordsAndForgetsTheSessionsOfManyUsers() {
    RedisPresence a = gateway("gw-a", LONG);
    RedisPresence b = gateway("gw-b", LONG);
    List<Long> users = users(1, 601); // several pipelined batches
    List<long[]> onA = new ArrayList<>();
    for (long u : users) onA.add(new long[] {u, u * 10 + 1});
    a.refresh(onA);
    List<Long> few = users(1, 201);
    for (long u : few) {
      if (u % 2 == 0) b.connected(u, u * 10 + 2);
    }
    List<Long> asked = new ArrayList<>(users);
    asked.addAll(users(5_000, 5_100)); // never connected
    Map<Long, Set<String>> expected = new HashMap<>();
    for (long u : users)
      expected.put(u, u <= 200 && u % 2 == 0 ? Set.of("gw-a", "gw-b") : Set.of("gw-a"));
    assertSameGateways(a.gatewaysOf(asked), expected);

    for (long u : few) {
      if (u % 3 == 0) {
        a.disconnected(u, u * 10 + 1);
        if (u % 2 == 0) expected.put(u, Set.of("gw-b"));
        else expected.remove(u);
      }
    }
    assertSameGateways(b.gatewaysOf(asked), expected);
    // A user whose last entry went has no key left.
    assertThat(redis.admin().exists(PREFIX + "presence:3")).isZero();
  }

  @Test
  void lastSeenIsRecordedWhenTheUsersLastLiveEntryIsReleased() {
    RedisPresence a = gateway("gw-a", LONG);
    RedisPresence b = gateway("gw-b", LONG);
    RedisPresence reader = RedisPresence.reader(clients, meters);
    assertThat(reader.statusOf(List.of(5L)).get(5L)).isEqualTo(new Status(false, null));
    a.connected(5, 50);
    b.connected(5, 51);
    assertThat(reader.statusOf(List.of(5L)).get(5L)).isEqualTo(new Status(true, null));

    // One session left on the other gateway: still online, nothing recorded.
    a.disconnected(5, 50);
    assertThat(reader.statusOf(List.of(5L)).get(5L)).isEqualTo(new Status(true, null));

    long before = redisMillis();
    b.disconnected(5, 51);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> reader.statusOf(List.of(5L)).get(5L).lastSeen() != null);
    Status offline = reader.statusOf(List.of(5L)).get(5L);
    assertThat(offline.online()).isFalse();
    assertThat(Objects.requireNonNull(offline.lastSeen()).toEpochMilli())
        .isBetween(before, redisMillis());

    // Back online: online wins, the old last seen stays until the next last close.
    a.connected(5, 52);
    assertThat(reader.statusOf(List.of(5L)).get(5L).online()).isTrue();
  }

  @Test
  void aGatewayThatDiesLeavesTheLastSeenOfItsLastRefresh() {
    RedisPresence dying = gateway("gw-dying", Duration.ofMillis(300));
    RedisPresence reader = RedisPresence.reader(clients, meters);
    dying.connected(9, 90);
    long before = redisMillis();
    dying.refresh(List.of(new long[] {9, 90}));
    long after = redisMillis();
    assertThat(reader.statusOf(List.of(9L)).get(9L).online()).isTrue();

    // It dies: nothing is released. Once the entry expires (within the TTL) the user is offline,
    // last seen when the gateway last said they were there.
    await()
        .atMost(Duration.ofSeconds(3))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> !reader.statusOf(List.of(9L)).get(9L).online());
    Status offline = reader.statusOf(List.of(9L)).get(9L);
    assertThat(offline.lastSeen()).isNotNull();
    assertThat(Objects.requireNonNull(offline.lastSeen()).toEpochMilli()).isBetween(before, after);
  }

  private static long redisMillis() {
    List<String> t = redis.admin().time();
    return Long.parseLong(t.get(0)) * 1000 + Long.parseLong(t.get(1)) / 1000;
  }

  @Test
  void sessionsOfNamesEachConnectedSessionWithItsGateway() {
    RedisPresence a = gateway("gw-a", LONG);
    RedisPresence b = gateway("gw-b", LONG);
    a.connected(1, 11);
    b.connected(1, 12);
    a.connected(2, 21);
    a.disconnected(2, 21);
    assertThat(a.sessionsOf(List.of(1L, 2L, 3L)))
        .isEqualTo(Map.of(1L, Map.of(11L, "gw-a", 12L, "gw-b")));
  }

  @Test
  void aLateCloseOnTheOldGatewayKeepsTheNewEntry() {
    RedisPresence a = gateway("gw-a", LONG);
    RedisPresence b = gateway("gw-b", LONG);
    a.connected(1, 7);
    b.connected(1, 7); // the device reconnected to b before a noticed it was gone
    a.disconnected(1, 7);
    assertThat(a.gatewaysOf(List.of(1L))).isEqualTo(Map.of(1L, Set.of("gw-b")));
    b.disconnected(1, 7);
    assertThat(a.gatewaysOf(List.of(1L))).isEmpty();
  }

  @Test
  void aDeadGatewayIsForgottenWithinItsTtl() {
    RedisPresence dead = gateway("gw-dead", Duration.ofMillis(300));
    RedisPresence alive = gateway("gw-alive", LONG);
    dead.refresh(List.of(new long[] {5, 50}, new long[] {6, 60}));
    alive.connected(6, 61);
    assertThat(alive.gatewaysOf(List.of(5L, 6L)))
        .isEqualTo(Map.of(5L, Set.of("gw-dead"), 6L, Set.of("gw-dead", "gw-alive")));
    assertThat(alive.address("gw-dead")).contains("gw-dead.internal:9000");
    assertThat(redis.admin().pttl(PREFIX + "presence:5")).isBetween(1L, 300L);

    await()
        .atMost(Duration.ofSeconds(3))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> alive.gatewaysOf(List.of(5L, 6L)).equals(Map.of(6L, Set.of("gw-alive"))));
    assertThat(alive.address("gw-dead")).isEmpty();
    // User 5 had only the dead gateway: the key expired. User 6's stale field goes on the next
    // read.
    assertThat(redis.admin().exists(PREFIX + "presence:5")).isZero();
    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> !redis.admin().hexists(PREFIX + "presence:6", "60"));
    assertThat(redis.admin().hexists(PREFIX + "presence:6", "61")).isTrue();
  }

  @Test
  void refreshingKeepsEntriesAlive() {
    // The TTL is ten refresh intervals (the production ratio is three), so that a scheduling stall
    // of a loaded test machine cannot pass for an expiry.
    RedisPresence gw = gateway("gw-r", Duration.ofMillis(1000));
    List<long[]> held = List.of(new long[] {8, 80});
    gw.connected(8, 80);
    ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    try {
      loop.scheduleWithFixedDelay(() -> gw.refresh(held), 100, 100, TimeUnit.MILLISECONDS);
      // Two and a half TTLs long, the entry never lapses.
      await()
          .during(Duration.ofMillis(2500))
          .atMost(Duration.ofSeconds(6))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> gw.gatewaysOf(List.of(8L)).equals(Map.of(8L, Set.of("gw-r"))));
    } finally {
      loop.shutdownNow();
    }
  }

  @Test
  void theKeyLivesAsLongAsItsLatestEntry() {
    RedisPresence slow = gateway("gw-long", Duration.ofSeconds(60));
    RedisPresence quick = gateway("gw-short", Duration.ofMillis(300));
    slow.connected(4, 40);
    quick.connected(4, 41); // must not cut the key's life short
    assertThat(slow.gatewaysOf(List.of(4L))).isEqualTo(Map.of(4L, Set.of("gw-long", "gw-short")));
    assertThat(redis.admin().pttl(PREFIX + "presence:4")).isGreaterThan(50_000L);
  }

  @Test
  void expiredAndMalformedEntriesAreIgnoredAndDeletedOnRead() {
    String key = PREFIX + "presence:9";
    redis.admin().hset(key, "90", "gw-old|1000");
    redis.admin().hset(key, "91", "gw-x|" + (System.currentTimeMillis() + 60_000));
    redis.admin().hset(key, "92", "garbage");
    RedisPresence reader = RedisPresence.reader(clients, meters);
    assertThat(reader.gatewaysOf(List.of(9L))).isEqualTo(Map.of(9L, Set.of("gw-x")));
    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> redis.admin().hkeys(key).equals(List.of("91")));
  }

  @Test
  void aReaderCannotWrite() {
    RedisPresence reader = RedisPresence.reader(clients, meters);
    assertThatThrownBy(() -> reader.connected(1, 1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> reader.refresh(List.of())).isInstanceOf(IllegalStateException.class);
    assertThat(reader.gatewaysOf(List.of())).isEmpty();
  }

  @Test
  void afterAFlushOneRefreshRebuildsEverything() {
    RedisPresence gw = gateway("gw-f", LONG);
    List<long[]> held = new ArrayList<>();
    for (long u = 1; u <= 300; u++) {
      for (long s = 1; s <= 3; s++) {
        held.add(new long[] {u, u * 100 + s});
        gw.connected(u, u * 100 + s);
      }
    }
    List<Long> users = users(1, 301);
    assertThat(gw.gatewaysOf(users)).hasSize(300);

    redis.admin().flushall();
    assertThat(gw.gatewaysOf(users)).isEmpty();
    assertThat(gw.address("gw-f")).isEmpty();

    gw.refresh(held);
    Map<Long, Set<String>> online = gw.gatewaysOf(users);
    assertThat(online).hasSize(300).allSatisfy((u, gws) -> assertThat(gws).containsExactly("gw-f"));
    assertThat(redis.admin().hlen(PREFIX + "presence:17")).isEqualTo(3);
    assertThat(gw.address("gw-f")).contains("gw-f.internal:9000");
    assertThat(redis.admin().pttl(PREFIX + "gateway:gw-f")).isBetween(1L, LONG.toMillis());
  }

  @Test
  void aGatewaySeesWhenTheStoreHasLostItsRegistration() {
    RedisPresence gw = gateway("gw-r", LONG);
    assertThat(gw.registered()).as("before the first refresh").isFalse();
    gw.refresh(List.of(new long[] {1, 10}));
    assertThat(gw.registered()).isTrue();

    redis.admin().flushall();
    assertThat(gw.registered()).as("after FLUSHALL").isFalse();
    gw.refresh(List.of(new long[] {1, 10}));
    assertThat(gw.registered()).isTrue();
    assertThat(gw.gatewaysOf(List.of(1L))).containsOnlyKeys(1L);
  }

  @Test
  void registrationsTellTheDispatcherEachGatewaysAddressAndHowLongItLives() {
    RedisPresence gw = gateway("gw-d", LONG);
    RedisPresence reader = RedisPresence.reader(clients, meters);
    gw.refresh(List.of());
    var found = reader.registrations(List.of("gw-d", "gw-unknown"));
    assertThat(found).containsOnlyKeys("gw-d");
    assertThat(found.get("gw-d").address()).isEqualTo("gw-d.internal:9000");
    assertThat(found.get("gw-d").expiresIn()).isPositive().isLessThanOrEqualTo(LONG);

    redis.admin().flushall();
    assertThat(reader.registrations(List.of("gw-d"))).isEmpty();
  }

  @Test
  void survivesARedisRestart() {
    RedisPresence gw = gateway("gw-x", LONG);
    List<long[]> held = List.of(new long[] {1, 10}, new long[] {2, 20});
    gw.refresh(held);
    assertThat(gw.gatewaysOf(List.of(1L, 2L))).hasSize(2);

    redis.stop();
    try {
      // Writes never throw; reads on a request path fail with UNAVAILABLE.
      gw.connected(3, 30);
      gw.disconnected(1, 10);
      gw.refresh(held);
      assertThatThrownBy(() -> gw.gatewaysOf(List.of(1L)))
          .isInstanceOfSatisfying(
              ParleyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE));
      assertThatThrownBy(() -> gw.address("gw-x")).isInstanceOf(ParleyException.class);
      assertThat(
              meters.counter("parley.redis.failures", "use", "presence", "op", "refresh").count())
          .isPositive();
    } finally {
      redis.start();
    }
    // The client reconnects by itself; the restarted Redis is empty until the next refresh.
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(
            () -> {
              gw.refresh(held);
              return gw.gatewaysOf(List.of(1L, 2L, 3L)).keySet().equals(Set.of(1L, 2L));
            });
    assertThat(gw.address("gw-x")).isPresent();
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> "PONG".equals(redis.admin().ping()));
  }
}
