package dev.parley.server.cluster;

import static dev.parley.server.cluster.Reports.ms;
import static dev.parley.server.cluster.Reports.report;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.Futures;
import dev.parley.proto.client.Typing;
import dev.parley.proto.client.TypingState.Action;
import dev.parley.proto.client.UserPresence;
import dev.parley.testkit.KafkaExtension;
import dev.parley.testkit.PostgresExtension;
import dev.parley.testkit.RedisExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Typing indicators cross gateways in a cluster (design.md 13.6): a msg instance hands them
 * straight to the gateways that presence names (never through Kafka), so every device of the other
 * members, on either gateway, sees them, and none of the typer's. Live presence changes take the
 * same route (design.md 13.2).
 */
class ClusterTypingIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  @RegisterExtension static final RedisExtension redis = new RedisExtension();
  @RegisterExtension static final KafkaExtension kafka = new KafkaExtension();
  static ClusterHarness cluster;

  @BeforeAll
  static void startCluster() {
    long t0 = System.nanoTime();
    cluster = ClusterHarness.start("ClusterTypingIT", postgres, redis, kafka.broker());
    report(
        "cluster of %d processes ready in %d ms",
        ClusterHarness.NODES.size(), ms(t0, System.nanoTime()));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) cluster.close();
  }

  @Test
  void typingReachesTheOtherMembersDevicesOnBothGateways() {
    try (Cast cast = new Cast(cluster, "typing")) {
      cast.awaitPresence(
          Map.of(
              "a1",
              "gateway-1",
              "a2",
              "gateway-2",
              "b1",
              "gateway-2",
              "b2",
              "gateway-1",
              "c1",
              "gateway-1",
              "c2",
              "gateway-2"));
      Map<String, List<Typing>> seen = new ConcurrentHashMap<>();
      for (String name : List.of("a1", "a2", "b1", "b2", "c1", "c2")) {
        List<Typing> events = new CopyOnWriteArrayList<>();
        seen.put(name, events);
        cast.device(name)
            .connection
            .onEvent(
                e -> {
                  if (e.hasTyping()) events.add(e.getTyping());
                });
      }

      long t0 = System.nanoTime();
      Futures.await(cast.device("a1").connection.setTyping(cast.group, Action.TYPING));
      for (String name : List.of("b1", "b2", "c1", "c2")) {
        ClusterDevice d = cast.device(name);
        d.messenger.awaitCondition(() -> !seen.get(name).isEmpty(), ClusterDevice.WAIT);
        assertThat(seen.get(name).get(0).getUserId()).isEqualTo(cast.a);
      }
      report("typing seen on 4 devices over 2 gateways in %d ms", ms(t0, System.nanoTime()));

      // The one-to-one a-b: only b's devices; then a cancels.
      Futures.await(cast.device("a2").connection.setTyping(cast.ab, Action.UPLOADING_FILE));
      Futures.await(cast.device("a2").connection.setTyping(cast.ab, Action.CANCEL));
      for (String name : List.of("b1", "b2")) {
        cast.device(name)
            .messenger
            .awaitCondition(
                () ->
                    seen.get(name).stream()
                        .anyMatch(
                            t ->
                                t.getConversationId() == cast.ab && t.getAction() == Action.CANCEL),
                ClusterDevice.WAIT);
      }
      assertThat(seen.get("a1")).isEmpty();
      assertThat(seen.get("a2")).isEmpty();
      assertThat(seen.get("c1")).extracting(Typing::getConversationId).containsOnly(cast.group);
      assertThat(seen.get("c2")).extracting(Typing::getConversationId).containsOnly(cast.group);
    }
  }

  @Test
  void presenceChangesReachTheFriendsDevicesOnBothGateways() {
    try (Cast cast = new Cast(cluster, "presence")) {
      cast.awaitPresence(
          Map.of(
              "a1",
              "gateway-1",
              "a2",
              "gateway-2",
              "b1",
              "gateway-2",
              "b2",
              "gateway-1",
              "c1",
              "gateway-1",
              "c2",
              "gateway-2"));
      Futures.await(cast.device("a1").connection.sendFriendRequest(cast.c, ""));
      Futures.await(cast.device("c1").connection.acceptFriendRequest(cast.a));
      Map<String, List<UserPresence>> seen = new ConcurrentHashMap<>();
      for (String name : List.of("a1", "a2", "b1", "b2")) {
        List<UserPresence> events = new CopyOnWriteArrayList<>();
        seen.put(name, events);
        cast.device(name)
            .connection
            .onEvent(
                e -> {
                  if (e.hasPresenceChanged() && e.getPresenceChanged().getUserId() == cast.c)
                    events.add(e.getPresenceChanged());
                });
      }

      // c's last connections close, one on each gateway: after the grace period (5 s by default)
      // a friend's devices on both gateways hear of it; b, no friend, does not.
      long t0 = System.nanoTime();
      cast.device("c1").close();
      cast.device("c2").close();
      for (String name : List.of("a1", "a2")) {
        cast.device(name)
            .messenger
            .awaitCondition(() -> !seen.get(name).isEmpty(), ClusterDevice.WAIT);
        assertThat(seen.get(name)).allMatch(UserPresence::hasLastSeenMs);
      }
      report(
          "offline seen by a friend on 2 gateways %d ms after the close",
          ms(t0, System.nanoTime()));
      assertThat(seen.get("b1")).isEmpty();
      assertThat(seen.get("b2")).isEmpty();
    }
  }
}
