package dev.parley.server.cluster;

import static dev.parley.server.cluster.Reports.ms;
import static dev.parley.server.cluster.Reports.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.AuthApi;
import dev.parley.client.Encoding;
import dev.parley.client.ParleyClient;
import dev.parley.proto.client.DeviceInfo;
import dev.parley.proto.client.LoginRequest;
import dev.parley.proto.client.Platform;
import dev.parley.server.audit.LedgerAudit;
import dev.parley.server.audit.SendLedger;
import dev.parley.server.audit.SendLedger.Attempt;
import dev.parley.testkit.KafkaExtension;
import dev.parley.testkit.PostgresExtension;
import dev.parley.testkit.RedisExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Failures behind the gateways (design.md 9, "Failure of one process" and "The bus is Kafka"), one
 * cluster for the class, scenarios in order:
 *
 * <ol>
 *   <li>kill -9 of one msg instance under a send storm: the sends it was serving fail or time out;
 *       the SDK's retries and the ledger's resends with the same client_msg_id settle them through
 *       the other instance; nothing acknowledged is lost, nothing is stored twice, logs stay
 *       gap-free, every device converges; the instance comes back and takes sends again;
 *   <li>the Kafka broker killed and started again mid-run: sends go on being acknowledged while it
 *       is away, live delivery resumes when it is back, and every device converges;
 *   <li>kill -9 of the (single) user instance: connected devices go on chatting, logins fail while
 *       it is down and work again soon after it is back.
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterMsgAndKafkaFailuresIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  @RegisterExtension static final RedisExtension redis = new RedisExtension();
  @RegisterExtension static final KafkaExtension kafka = new KafkaExtension();
  private static final Duration CONVERGE = Duration.ofSeconds(60);
  private static final String KAFKA_SENT = "parley_bus_kafka_sent_total";
  static ClusterHarness cluster;

  @BeforeAll
  static void startCluster() {
    long t0 = System.nanoTime();
    cluster = ClusterHarness.start("ClusterMsgAndKafkaFailuresIT", postgres, redis, kafka.broker());
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
  void
      kill9OfAMsgInstanceUnderLoad_resendsSettleThroughTheOther_nothingLostOrDuplicated_andItComesBack()
          throws Exception {
    try (Cast cast = new Cast(cluster, "msgkill")) {
      List<SendStorm.Lane> lanes = cast.lanes("m");
      SendStorm storm = SendStorm.start(cast.ledger, lanes, Duration.ofSeconds(5));
      long killed;
      int onTheWire;
      try (storm) {
        await().atMost(Duration.ofSeconds(60)).until(() -> cast.ledger.ackedCount() >= 150);
        // Both instances serve sends (round robin), so the kill hits calls in flight.
        assertThat(cluster.metric("msg-1", KAFKA_SENT))
            .as("deliveries published by msg-1")
            .isPositive();
        assertThat(cluster.metric("msg-2", KAFKA_SENT))
            .as("deliveries published by msg-2")
            .isPositive();
        onTheWire = cast.ledger.pending();
        killed = System.nanoTime();
        cluster.kill("msg-1");
        int target = cast.ledger.ackedCount() + 150;
        await().atMost(Duration.ofSeconds(90)).until(() -> cast.ledger.ackedCount() >= target);
        await("every lane sends again after the kill")
            .atMost(Duration.ofSeconds(60))
            .until(() -> lanes.stream().allMatch(l -> storm.acksAfter(l.name(), killed) > 0));
        storm.awaitFinished(Duration.ofSeconds(60));
      }
      long stormEnded = System.nanoTime();
      List<Attempt> sdkGaveUp =
          cast.ledger.with(SendLedger.Outcome.NoAnswer.class).stream()
              .filter(Attempt::sdk)
              .toList();
      assertThat(sdkGaveUp)
          .as("SDK sends that never got an answer (the outbox retries until one comes)")
          .isEmpty();
      long sdkDuplicates =
          cast.ledger.with(SendLedger.Outcome.Acked.class).stream()
              .filter(x -> ((SendLedger.Outcome.Acked) cast.ledger.outcome(x)).duplicate())
              .count();
      Map<String, Long> gaps = new HashMap<>();
      lanes.forEach(l -> gaps.put(l.name(), storm.longestAckGapMillis(l.name())));

      Cast.Settled settled = cast.settle();
      cast.assertConverged(settled.truth().logs(), CONVERGE);
      report(
          "msgkill: msg-1 killed with %d sends on the wire; %d attempts, %d without an answer (%d of them stored), "
              + "failures %s, %d SDK sends answered duplicate=true (an earlier attempt was stored); longest pause between "
              + "acks per lane %s ms; settled and converged in %d ms; log sizes %s",
          onTheWire,
          cast.ledger.all().size(),
          settled.unanswered(),
          settled.unansweredStored(),
          storm.failures(),
          sdkDuplicates,
          gaps,
          ms(stormEnded, System.nanoTime()),
          Reports.sizes(settled.truth().logs()));

      // msg-1 comes back on its port and takes a share of the sends again.
      long restarting = System.nanoTime();
      cluster.start("msg-1");
      long restarted = System.nanoTime();
      int[] probes = {0};
      await("the restarted msg-1 serves a send")
          .atMost(Duration.ofSeconds(180))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                if (cluster.metric("msg-1", KAFKA_SENT) > 0) return true;
                cast.probe("msg-back", cast.group);
                probes[0]++;
                return false;
              });
      long serving = System.nanoTime();
      LedgerAudit.Logs after = LedgerAudit.readLogs(cast.readers(), cast.ledger);
      cast.assertConverged(after.logs(), CONVERGE);
      report(
          "msgkill: msg-1 restarted in %d ms and got its first send %d ms after it was ready (%d sends went to msg-2 meanwhile)",
          ms(restarting, restarted), ms(restarted, serving), probes[0]);
    }
  }

  @Test
  @Order(2)
  void kafkaBrokerKilledAndStartedAgainMidRun_sendsGoOn_liveDeliveryResumes_nothingLost()
      throws Exception {
    try (Cast cast = new Cast(cluster, "kafka")) {
      List<SendStorm.Lane> lanes = cast.lanes("k");
      double failedBefore =
          cluster.metric("msg-1", "parley_bus_kafka_failed_total")
              + cluster.metric("msg-2", "parley_bus_kafka_failed_total");
      SendStorm storm = SendStorm.start(cast.ledger, lanes, Duration.ofSeconds(5));
      long down;
      long up;
      int ackedWhileDown;
      long started = System.nanoTime();
      try (storm) {
        await().atMost(Duration.ofSeconds(60)).until(() -> cast.ledger.ackedCount() >= 100);
        down = System.nanoTime();
        cluster.kafka().kill();
        int acked = cast.ledger.ackedCount();
        // Sends are stored in PostgreSQL and acknowledged without Kafka; only live delivery waits.
        await("sends acknowledged while Kafka is away")
            .atMost(Duration.ofSeconds(60))
            .until(() -> cast.ledger.ackedCount() >= acked + 60);
        cluster.kafka().start();
        up = System.nanoTime();
        ackedWhileDown = cast.ledger.ackedCount() - acked;
        int target = cast.ledger.ackedCount() + 60;
        await().atMost(Duration.ofSeconds(90)).until(() -> cast.ledger.ackedCount() >= target);
        await("every device gets live updates again")
            .atMost(Duration.ofSeconds(90))
            .until(() -> cast.all().stream().allMatch(d -> d.liveAfter(up)));
        storm.awaitFinished(Duration.ofSeconds(60));
      }
      long resumed = cast.all().stream().mapToLong(d -> d.firstLiveAfter(up)).max().orElseThrow();
      cast.probe("after-kafka");
      Cast.Settled settled = cast.settle();
      cast.assertConverged(settled.truth().logs(), CONVERGE);
      double failed =
          cluster.metric("msg-1", "parley_bus_kafka_failed_total")
              + cluster.metric("msg-2", "parley_bus_kafka_failed_total")
              - failedBefore;
      double rateBefore = storm.acksBetween(started, down) * 1e9 / (down - started);
      double rateDown = storm.acksBetween(down, up) * 1e9 / (up - down);
      report(
          "kafka: sends acknowledged per second with %d senders: %.1f before, %.1f while the broker was away",
          lanes.size(), rateBefore, rateDown);
      report(
          "kafka: broker down %d ms (kill -9 to ready again), %d sends acknowledged meanwhile; every device had a live update "
              + "%d ms after the broker was back; %.0f deliveries Kafka did not take; %d attempts, %d without an answer, failures %s; "
              + "dispatcher poll/commit failures %.0f/%.0f; live repeats %d",
          ms(down, up),
          ackedWhileDown,
          ms(up, resumed),
          failed,
          cast.ledger.all().size(),
          settled.unanswered(),
          storm.failures(),
          cluster.metric("push-1", "parley_dispatcher_poll_failures_total"),
          cluster.metric("push-1", "parley_dispatcher_commit_failures_total"),
          cast.all().stream().mapToInt(ClusterDevice::liveRepeats).sum());
    }
  }

  /**
   * The user service has a single instance here, so while it is down nobody can log in or
   * reconnect; devices already connected must go on chatting (sends need only msg). It stays down
   * 15 s, as a crashed machine might; then logins through either gateway must work again soon after
   * it is ready.
   */
  @Test
  @Order(3)
  void kill9OfTheUserInstance_connectedDevicesKeepChatting_loginsWorkAgainSoonAfterItIsBack()
      throws Exception {
    try (Cast cast = new Cast(cluster, "userkill");
        ParleyClient viaGateway1 = Cast.client(cluster, 1, Encoding.PROTOBUF);
        ParleyClient viaGateway2 = Cast.client(cluster, 2, Encoding.PROTOBUF)) {
      List<SendStorm.Lane> lanes = cast.lanes("u");
      SendStorm storm = SendStorm.start(cast.ledger, lanes, Duration.ofSeconds(5));
      long killed;
      long restarting;
      long restarted;
      int ackedWhileDown;
      String loginWhileDown;
      try (storm) {
        await().atMost(Duration.ofSeconds(60)).until(() -> cast.ledger.ackedCount() >= 100);
        killed = System.nanoTime();
        cluster.kill("user-1");
        int acked = cast.ledger.ackedCount();
        loginWhileDown = loginFails(viaGateway1, cast.emails.get("a"));
        await("15 s without user-1, the storm going on")
            .atMost(Duration.ofSeconds(90))
            .until(
                () ->
                    ms(killed, System.nanoTime()) >= 15_000
                        && cast.ledger.ackedCount() >= acked + 100);
        ackedWhileDown = cast.ledger.ackedCount() - acked;
        restarting = System.nanoTime();
        cluster.start("user-1");
        restarted = System.nanoTime();
        storm.awaitFinished(Duration.ofSeconds(60));
      }
      Map<String, Long> loginAfter = new java.util.LinkedHashMap<>();
      for (var via : Map.of("gateway-1", viaGateway1, "gateway-2", viaGateway2).entrySet()) {
        await("a login through " + via.getKey())
            .atMost(Duration.ofSeconds(180))
            .pollInterval(Duration.ofMillis(500))
            .ignoreExceptions()
            .until(
                () ->
                    via.getValue().auth().login(login(cast.emails.get("b"), "b-" + via.getKey()))
                        != null);
        loginAfter.put(via.getKey(), ms(restarted, System.nanoTime()));
      }
      cast.probe("after-user");
      Cast.Settled settled = cast.settle();
      cast.assertConverged(settled.truth().logs(), CONVERGE);
      report(
          "userkill: while user-1 was down (%d s) a login failed with %s and %d sends were acknowledged; user-1 restarted in "
              + "%d ms; first successful login, ms after it was ready: %s; %d attempts, %d without an answer, failures %s",
          ms(killed, restarting) / 1000,
          loginWhileDown,
          ackedWhileDown,
          ms(restarting, restarted),
          loginAfter,
          cast.ledger.all().size(),
          settled.unanswered(),
          storm.failures());
      assertThat(loginAfter)
          .as(
              "ms from the restarted user-1 being ready to the first successful login through each gateway")
          .allSatisfy(
              (gateway, delay) -> assertThat(delay).as(gateway).isLessThanOrEqualTo(5_000L));
    }
  }

  private static String loginFails(ParleyClient client, String email) {
    try {
      client.auth().login(login(email, "while-down"));
      throw new AssertionError("a login succeeded while user-1 was down");
    } catch (RuntimeException e) {
      return e instanceof dev.parley.client.ClientException c
          ? c.reason().name()
          : e.getClass().getSimpleName();
    }
  }

  private static LoginRequest login(String email, String deviceId) {
    return LoginRequest.newBuilder()
        .setIdentifier(AuthApi.email(email))
        .setPassword(Cast.PASSWORD)
        .setDevice(
            DeviceInfo.newBuilder()
                .setDeviceId(deviceId)
                .setPlatform(Platform.PLATFORM_WEB)
                .setName(deviceId))
        .build();
  }
}
