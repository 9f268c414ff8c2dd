package dev.parley.server.cluster;

import static dev.parley.server.cluster.Reports.ms;
import static dev.parley.server.cluster.Reports.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.proto.client.Error.Reason;
import dev.parley.server.audit.SendLedger;
import dev.parley.server.audit.SendLedger.Attempt;
import dev.parley.testkit.KafkaExtension;
import dev.parley.testkit.PostgresExtension;
import dev.parley.testkit.RedisExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 16.1: a send broken by a dying msg instance must be answered with a retryable error, never
 * with a final one a conforming client would show as failed (protocol.md 4 and 9). One kill rarely
 * catches a call at the unlucky moment (1 run in 5 answered INTERNAL before the fix), so the two
 * msg instances are killed (kill -9) in turn, ten times, while the storm goes on through the other
 * one; each comes back before the next kill. Every answer to a raw send must be an ack or
 * UNAVAILABLE / TOO_MANY_IN_FLIGHT; afterwards nothing acknowledged is lost, nothing is stored
 * twice, and every device converges.
 */
class ClusterMsgKillsIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  @RegisterExtension static final RedisExtension redis = new RedisExtension();
  @RegisterExtension static final KafkaExtension kafka = new KafkaExtension();
  private static final Duration CONVERGE = Duration.ofSeconds(60);
  private static final String KAFKA_SENT = "parley_bus_kafka_sent_total";
  private static final int KILLS = 10;

  /** What a client may do with an answer: the rest are final (protocol.md 9, "Sending"). */
  private static final Set<String> RETRYABLE =
      Set.of(Reason.UNAVAILABLE.name(), Reason.TOO_MANY_IN_FLIGHT.name());

  private static final Set<String> REASONS =
      Arrays.stream(Reason.values()).map(Reason::name).collect(Collectors.toUnmodifiableSet());
  static ClusterHarness cluster;

  @BeforeAll
  static void startCluster() {
    long t0 = System.nanoTime();
    cluster = ClusterHarness.start("ClusterMsgKillsIT", postgres, redis, kafka.broker());
    report(
        "cluster of %d processes ready in %d ms",
        ClusterHarness.NODES.size(), ms(t0, System.nanoTime()));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) cluster.close();
  }

  @Test
  void msgInstancesKilledTenTimesUnderLoad_everyAnswerIsAnAckOrRetryable_nothingLostOrDoubled()
      throws Exception {
    try (Cast cast = new Cast(cluster, "kills")) {
      List<SendStorm.Lane> lanes = cast.lanes("k");
      SendStorm storm = SendStorm.start(cast.ledger, lanes, Duration.ofSeconds(5));
      List<Integer> onTheWire = new ArrayList<>();
      List<Long> restarts = new ArrayList<>();
      try (storm) {
        await().atMost(Duration.ofSeconds(60)).until(() -> cast.ledger.ackedCount() >= 100);
        for (int i = 0; i < KILLS; i++) {
          String victim = i % 2 == 0 ? "msg-1" : "msg-2";
          String other = i % 2 == 0 ? "msg-2" : "msg-1";
          // Both serve sends (the counter starts at 0 with each process): the kill hits calls in
          // flight,
          // and the other instance is there to take over.
          await("both msg instances serve sends before kill " + (i + 1))
              .atMost(Duration.ofSeconds(120))
              .pollInterval(Duration.ofMillis(200))
              .until(
                  () ->
                      cluster.metric(victim, KAFKA_SENT) > 0
                          && cluster.metric(other, KAFKA_SENT) > 0);
          onTheWire.add(cast.ledger.pending());
          cluster.kill(victim);
          int target = cast.ledger.ackedCount() + 30;
          await("sends acknowledged after kill " + (i + 1))
              .atMost(Duration.ofSeconds(90))
              .until(() -> cast.ledger.ackedCount() >= target);
          long restarting = System.nanoTime();
          cluster.start(victim);
          restarts.add(ms(restarting, System.nanoTime()));
        }
        storm.awaitFinished(Duration.ofSeconds(60));
      }
      Map<String, Integer> failures = storm.failures();
      Map<String, Integer> finalAnswers = new TreeMap<>(failures);
      finalAnswers.keySet().removeIf(kind -> !REASONS.contains(kind) || RETRYABLE.contains(kind));
      List<Attempt> sdkGaveUp =
          cast.ledger.with(SendLedger.Outcome.NoAnswer.class).stream()
              .filter(Attempt::sdk)
              .toList();

      Cast.Settled settled = cast.settle();
      cast.assertConverged(settled.truth().logs(), CONVERGE);
      report(
          "kills: %d kill -9 of msg-1/msg-2 in turn with sends on the wire %s; restarts took %s ms; %d attempts, %d without "
              + "an answer (%d of them stored), failures %s; log sizes %s",
          KILLS,
          onTheWire,
          restarts,
          cast.ledger.all().size(),
          settled.unanswered(),
          settled.unansweredStored(),
          failures,
          Reports.sizes(settled.truth().logs()));
      for (String gateway : List.of("gateway-1", "gateway-2")) {
        report(
            "kills: %s logged broken calls: %s",
            gateway,
            cluster
                .process(gateway)
                .log()
                .lines()
                .filter(l -> l.contains("broke without an answer"))
                .map(l -> l.substring(l.indexOf("broke")))
                .toList());
      }
      assertThat(finalAnswers)
          .as("sends answered with a final error (a client would show them as failed)")
          .isEmpty();
      assertThat(sdkGaveUp).as("SDK sends that never got an answer").isEmpty();
    }
  }
}
