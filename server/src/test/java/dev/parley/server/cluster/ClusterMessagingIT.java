package dev.parley.server.cluster;

import static dev.parley.server.cluster.Reports.ms;
import static dev.parley.server.cluster.Reports.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.AuthApi;
import dev.parley.client.ClientException;
import dev.parley.client.Credentials;
import dev.parley.client.Encoding;
import dev.parley.client.Futures;
import dev.parley.client.ParleyClient;
import dev.parley.client.Recipient;
import dev.parley.proto.client.DeviceInfo;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.LoginRequest;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.Platform;
import dev.parley.proto.client.SendMessageResponse;
import dev.parley.server.audit.ConversationLogs;
import dev.parley.server.audit.LedgerAudit;
import dev.parley.testkit.KafkaExtension;
import dev.parley.testkit.PostgresExtension;
import dev.parley.testkit.RedisExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cluster mode end to end (design.md 9), one cluster for the class ({@link ClusterHarness}: user
 * ×1, msg ×2, push ×1, gateway ×2 as OS processes on PostgreSQL, Redis and Kafka), scenarios in
 * order:
 *
 * <ol>
 *   <li>every process serves /healthz, /readyz and Prometheus /metrics;
 *   <li>devices spread over both gateways chat one-to-one and in a group: every device gets every
 *       message once, in order, and holds exactly the server's log;
 *   <li>message pins travel from either gateway to the msg role and their entries reach devices on
 *       both gateways;
 *   <li>kill -9 of a gateway during a send storm: its clients move to the other gateway and catch
 *       up; nothing acknowledged is lost or duplicated; the gateway comes back and serves live
 *       delivery;
 *   <li>SIGTERM stops every process cleanly.
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterMessagingIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  @RegisterExtension static final RedisExtension redis = new RedisExtension();
  @RegisterExtension static final KafkaExtension kafka = new KafkaExtension();
  private static final Duration CONVERGE = Duration.ofSeconds(60);
  static ClusterHarness cluster;

  @BeforeAll
  static void startCluster() {
    long t0 = System.nanoTime();
    cluster = ClusterHarness.start("ClusterMessagingIT", postgres, redis, kafka.broker());
    report(
        "cluster of %d processes ready in %d ms",
        ClusterHarness.NODES.size(), ms(t0, System.nanoTime()));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) cluster.close();
  }

  @Test
  @Order(1)
  void everyProcessServesHealthReadinessAndPrometheusMetrics() {
    for (String node : ClusterHarness.NODES) {
      assertThat(cluster.status(node, "/healthz")).as("%s /healthz", node).isEqualTo(200);
      assertThat(cluster.status(node, "/readyz")).as("%s /readyz", node).isEqualTo(200);
      HttpResponse<String> metrics = cluster.get(node, "/metrics");
      assertThat(metrics.statusCode()).as("%s /metrics", node).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type"))
          .as("%s /metrics type", node)
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
      String role = node.substring(0, node.indexOf('-'));
      assertThat(metrics.body())
          .as("%s /metrics", node)
          .contains("# TYPE jvm_memory_used_bytes gauge")
          .containsPattern("(?m)^parley_\\w+")
          .contains("role=\"" + role + "\"");
    }
  }

  @Test
  @Order(2)
  void
      devicesSpreadOverBothGateways_chatOneToOneAndInAGroup_everyDeviceGetsEveryMessageOnceInOrder() {
    try (Cast cast = new Cast(cluster, "chat")) {
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

      // Every device writes into each of its conversations at once, through the SDK.
      long t0 = System.nanoTime();
      List<CompletableFuture<SendMessageResponse>> sends = new ArrayList<>();
      int n = 0;
      for (int i = 0; i < 8; i++) {
        for (ClusterDevice d : cast.all()) {
          for (long conv : cast.conversationsOf(d.userId())) {
            sends.add(d.messenger.sendText(Recipient.conversation(conv), d.name + " says " + ++n));
          }
        }
      }
      sends.forEach(Futures::await);
      long sent = System.nanoTime();

      Map<Long, List<Message>> truth = new HashMap<>();
      for (Map.Entry<Long, dev.parley.client.Connection> r : cast.readers().entrySet()) {
        List<Message> log = ConversationLogs.read(r.getValue(), r.getKey());
        ConversationLogs.checkInvariants(r.getKey(), log);
        truth.put(r.getKey(), log);
      }
      // 6 devices × 8 in the group after GROUP_CREATED; 4 devices × 8 in each direct chat after its
      // first message.
      assertThat(truth.get(cast.group)).hasSize(1 + 6 * 8);
      assertThat(truth.get(cast.ab)).hasSize(1 + 4 * 8);
      assertThat(truth.get(cast.bc)).hasSize(1 + 4 * 8);
      cast.assertConverged(truth, CONVERGE);
      for (ClusterDevice d : cast.all()) {
        assertThat(d.liveUpdates())
            .as("%s got updates live (through the dispatcher and its gateway)", d.name)
            .isPositive();
      }
      report(
          "chat: %d sends from 6 devices on 2 gateways answered in %d ms, converged %d ms later; live updates per device %s",
          sends.size(),
          ms(t0, sent),
          ms(sent, System.nanoTime()),
          cast.all().stream().map(d -> d.name + "=" + d.liveUpdates()).toList());
    }
  }

  /**
   * Message pins (design.md 13.5) in cluster mode: pin_message and get_pinned_messages go from
   * either gateway to the msg role over the internal RPC (PinService), refusals keep their reason
   * across it, and pin entries reach the devices on both gateways.
   */
  @Test
  @Order(2)
  void pinsGoFromEitherGatewayToTheMsgRole_andTheirEntriesReachDevicesOnBoth() {
    try (Cast cast = new Cast(cluster, "pins")) {
      ClusterDevice owner = cast.device("a1"); // gateway 1 preferred
      ClusterDevice member = cast.device("b1"); // gateway 2 preferred
      long msg =
          Futures.await(member.messenger.sendText(Recipient.conversation(cast.group), "pin me"))
              .getSeq();
      long groupPin = Futures.await(owner.messenger.pin(cast.group, msg)).getSeq();
      assertThat(groupPin).isPositive();
      try {
        Futures.await(member.messenger.pin(cast.group, msg));
        throw new AssertionError("a plain member pinned");
      } catch (RuntimeException e) {
        Throwable t = e;
        while (t != null && !(t instanceof ClientException)) t = t.getCause();
        assertThat(t).as("%s", e).isInstanceOf(ClientException.class);
        assertThat(((ClientException) t).reason()).isEqualTo(Reason.PERMISSION_DENIED);
      }
      // One-to-one: b pins a's first message through gateway 2.
      long directPin = Futures.await(member.messenger.pin(cast.ab, 1)).getSeq();
      for (ClusterDevice d : cast.all()) {
        d.messenger.awaitCondition(
            () -> d.store.message(cast.group, groupPin).map(Message::hasPin).orElse(false),
            CONVERGE);
      }
      for (String name : List.of("a1", "a2", "b1", "b2")) {
        ClusterDevice d = cast.device(name);
        d.messenger.awaitCondition(
            () -> d.store.message(cast.ab, directPin).map(Message::hasPin).orElse(false), CONVERGE);
      }
      assertThat(Futures.await(cast.device("c2").messenger.pinnedMessages(cast.group)))
          .extracting(p -> p.getMessage().getSeq())
          .containsExactly(msg);
      assertThat(Futures.await(cast.device("a2").messenger.pinnedMessages(cast.ab)))
          .extracting(p -> p.getMessage().getSeq())
          .containsExactly(1L);
    }
  }

  @Test
  @Order(3)
  void
      kill9OfAGatewayDuringASendStorm_clientsFailOver_nothingAcknowledgedIsLostOrDuplicated_andTheGatewayComesBack()
          throws Exception {
    try (Cast cast = new Cast(cluster, "gwkill")) {
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
      List<SendStorm.Lane> lanes = cast.lanes("g");
      long killed;
      SendStorm storm = SendStorm.start(cast.ledger, lanes, Duration.ofSeconds(5));
      try (storm) {
        await().atMost(Duration.ofSeconds(60)).until(() -> cast.ledger.ackedCount() >= 150);
        int onTheWire = cast.ledger.pending();
        killed = System.nanoTime();
        cluster.kill("gateway-1");
        report(
            "gwkill: gateway-1 killed with %d sends on the wire after %d acks",
            onTheWire, cast.ledger.ackedCount());
        int target = cast.ledger.ackedCount() + 150;
        await().atMost(Duration.ofSeconds(90)).until(() -> cast.ledger.ackedCount() >= target);
        await("every lane sends again after the failover")
            .atMost(Duration.ofSeconds(60))
            .until(() -> lanes.stream().allMatch(l -> storm.acksAfter(l.name(), killed) > 0));
        storm.awaitFinished(Duration.ofSeconds(60));
      }
      long stormEnded = System.nanoTime();
      Map<String, Long> failover = new HashMap<>();
      for (ClusterDevice d : cast.preferring(1)) {
        long ready = d.readyAfter(killed);
        assertThat(ready).as("%s reconnected after gateway-1 died", d.name).isPositive();
        assertThat(ms(killed, ready))
            .as("ms until %s was READY on gateway-2", d.name)
            .isLessThanOrEqualTo(10_000);
        failover.put(d.name, ms(killed, ready));
      }
      Map<String, Long> gaps = new HashMap<>();
      lanes.forEach(l -> gaps.put(l.name(), storm.longestAckGapMillis(l.name())));

      Cast.Settled settled = cast.settle();
      cast.assertConverged(settled.truth().logs(), CONVERGE);
      long converged = System.nanoTime();
      cast.awaitPresence(
          Map.of(
              "a1",
              "gateway-2",
              "a2",
              "gateway-2",
              "b1",
              "gateway-2",
              "b2",
              "gateway-2",
              "c1",
              "gateway-2",
              "c2",
              "gateway-2"));
      report(
          "gwkill: %d attempts, %d unanswered (%d of them stored), failures %s; reconnected to gateway-2 after %s ms; "
              + "longest pause between acks per lane %s ms; settled and converged in %d ms; log sizes %s",
          cast.ledger.all().size(),
          settled.unanswered(),
          settled.unansweredStored(),
          storm.failures(),
          failover,
          gaps,
          ms(stormEnded, converged),
          Reports.sizes(settled.truth().logs()));

      // gateway-1 stays down a while, as a crashed machine does. Meanwhile the test listens on its
      // gRPC
      // port and so sees the dispatcher's channel to it reconnect with exponential back-off. Once
      // the
      // back-off has grown past 8 s, gateway-1 starts again (same ports; ~4 s), within the next
      // back-off.
      List<Long> attempts;
      try (PortWatch watch = PortWatch.listen(cluster.grpcPort("gateway-1"))) {
        await("the dispatcher's reconnect back-off to gateway-1 past 8 s, or 60 s down")
            .atMost(Duration.ofSeconds(120))
            .until(() -> watch.lastGapMillis() >= 8000 || ms(killed, System.nanoTime()) >= 60_000);
        attempts = watch.attempts();
      }
      long restarting = System.nanoTime();
      cluster.start("gateway-1");
      long restarted = System.nanoTime();
      double failedBefore = cluster.metric("push-1", "parley_dispatcher_gateway_failures_total");
      try (ParleyClient viaGateway1 = Cast.client(cluster, 1, Encoding.JSON)) {
        Credentials login =
            viaGateway1
                .auth()
                .login(
                    LoginRequest.newBuilder()
                        .setIdentifier(AuthApi.email(cast.emails.get("a")))
                        .setPassword(Cast.PASSWORD)
                        .setDevice(
                            DeviceInfo.newBuilder()
                                .setDeviceId("a3")
                                .setPlatform(Platform.PLATFORM_IOS)
                                .setName("a3 device"))
                        .build());
        try (ClusterDevice a3 = ClusterDevice.online(viaGateway1, "gwkill-a3", login)) {
          await("a3 on gateway-1 in presence")
              .atMost(Duration.ofSeconds(10))
              .until(() -> "gateway-1".equals(cluster.presence(a3.userId()).get(a3.sessionId())));
          // One message into the group per second until a3 gets one live: how long the dispatcher
          // takes
          // to reach the restarted gateway. (A live event a3 misses is not lost, but a3 learns of
          // it
          // only when a later one arrives.)
          long online = System.nanoTime();
          int[] probes = {0};
          await("a live update through the restarted gateway-1")
              .atMost(Duration.ofSeconds(180))
              .pollInterval(Duration.ofSeconds(1))
              .until(
                  () -> {
                    if (a3.liveAfter(online)) return true;
                    cast.probe("after-restart", cast.group);
                    probes[0]++;
                    return false;
                  });
          long firstLive = a3.firstLiveAfter(online);
          double failedDeliver =
              cluster.metric("push-1", "parley_dispatcher_gateway_failures_total") - failedBefore;
          // a3 started as a new device: it holds the group's log from the last entry of its first
          // conversation list on, without a hole, up to the head; everyone else holds all of it.
          LedgerAudit.Logs after = LedgerAudit.readLogs(cast.readers(), cast.ledger);
          List<Message> groupLog = after.logs().get(cast.group);
          a3.messenger.awaitMessage(cast.group, groupLog.size(), Duration.ofSeconds(30));
          List<Message> held = a3.store.messages(cast.group);
          assertThat(ConversationLogs.keys(held))
              .as("a3's copy of the group")
              .containsExactlyElementsOf(
                  ConversationLogs.keys(
                      groupLog.subList((int) held.get(0).getSeq() - 1, groupLog.size())));
          cast.assertConverged(after.logs(), CONVERGE);
          report(
              "gwkill: dispatcher reconnect attempts to the dead gateway-1 at %s s after the kill; gateway-1 restarted "
                  + "%d s after the kill, ready in %d ms; a device on it got its first live update %d ms after it was in "
                  + "presence (%d probes sent meanwhile; %.0f Deliver calls to gateways failed or were skipped meanwhile)",
              attempts.stream().map(t -> String.format("%.1f", (t - killed) / 1e9)).toList(),
              ms(killed, restarting) / 1000,
              ms(restarting, restarted),
              ms(online, firstLive),
              probes[0],
              failedDeliver);
          assertThat(ms(online, firstLive))
              .as(
                  "ms from a device on the restarted gateway-1 being in presence to its first live update (a message every "
                      + "second); the dispatcher failed or skipped %.0f Deliver calls meanwhile",
                  failedDeliver)
              .isLessThanOrEqualTo(5_000);
        }
      }
    }
  }

  @Test
  @Order(4)
  void everyProcessStopsCleanlyOnSigterm() {
    for (String node : List.of("gateway-1", "gateway-2", "push-1", "msg-2", "msg-1", "user-1")) {
      long t0 = System.nanoTime();
      int exit = cluster.stop(node);
      assertThat(cluster.process(node).log()).as("%s log", node).contains("Shutting down");
      report("%s stopped on SIGTERM in %d ms (exit %d)", node, ms(t0, System.nanoTime()), exit);
    }
  }
}
