package dev.parley.server.cluster;

import static dev.parley.server.cluster.Reports.ms;
import static dev.parley.server.cluster.Reports.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.testkit.KafkaExtension;
import dev.parley.testkit.PostgresExtension;
import dev.parley.testkit.RedisExtension;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An operator's upgrade (operations.md, "Rolling restart"): every Parley process of the cluster is
 * stopped with SIGTERM and started again, one at a time — the gateways (which drain: {@code
 * go_away}, then close after the answers in flight), the msg instances, the user instance, the
 * dispatcher (push) — while a storm of one-to-one and group messages runs and the devices stay
 * connected (moving to the other gateway when theirs drains).
 *
 * <p>Checks, as in the kill tests: no acknowledged message lost, none stored twice, no final error
 * answer (only retryable ones and timeouts), every device converges and was shown each entry once,
 * in order. Measured and reported: how long each process took to stop and to be ready again, and
 * the longest pause any sender saw between two acknowledged sends (per step and overall).
 *
 * <p>Long (about ten minutes on a busy 2-core machine): not in the default suite (server/pom.xml
 * excludes {@code *RollingRestartIT}); run it with the command in README.md.
 */
class ClusterRollingRestartIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  @RegisterExtension static final RedisExtension redis = new RedisExtension();
  @RegisterExtension static final KafkaExtension kafka = new KafkaExtension();

  /** The order of an upgrade: edge first, then the services, the dispatcher last. */
  static final List<String> ORDER =
      List.of("gateway-1", "gateway-2", "msg-1", "msg-2", "user-1", "push-1");

  private static final Duration CONVERGE = Duration.ofSeconds(90);
  static ClusterHarness cluster;

  @BeforeAll
  static void startCluster() {
    long t0 = System.nanoTime();
    cluster = ClusterHarness.start("ClusterRollingRestartIT", postgres, redis, kafka.broker());
    report(
        "cluster of %d processes ready in %d ms",
        ClusterHarness.NODES.size(), ms(t0, System.nanoTime()));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) cluster.close();
  }

  @Test
  void everyProcessRestartedOneAtATimeUnderAStorm_nothingLostOrDuplicated_noFinalErrors()
      throws Exception {
    try (Cast cast = new Cast(cluster, "rolling")) {
      List<SendStorm.Lane> lanes = cast.lanes("r");
      SendStorm storm = SendStorm.start(cast.ledger, lanes, Duration.ofSeconds(5));
      Map<String, String> steps = new LinkedHashMap<>();
      long began;
      try (storm) {
        await().atMost(Duration.ofSeconds(60)).until(() -> cast.ledger.ackedCount() >= 100);
        began = System.nanoTime();
        for (String node : ORDER) {
          long stopping = System.nanoTime();
          int exit = cluster.stop(node);
          long starting = System.nanoTime();
          cluster.start(node);
          long ready = System.nanoTime();
          // The next process goes only once every sender has been answered since this one is back,
          // as an operator waits for readiness and traffic before the next step.
          await("every lane sends again after " + node + " is back")
              .atMost(Duration.ofSeconds(120))
              .until(() -> lanes.stream().allMatch(l -> storm.acksAfter(l.name(), ready) > 0));
          long settled = System.nanoTime();
          steps.put(
              node,
              String.format(
                  "stop %d ms (exit %d), start %d ms, longest sender pause %d ms",
                  ms(stopping, starting),
                  exit,
                  ms(starting, ready),
                  storm.longestAckGapMillisBetween(stopping, settled)));
        }
        ClusterStatefulFaultsIT.awaitMoreAcks(cast, 100);
        storm.awaitFinished(Duration.ofSeconds(60));
      }
      long ended = System.nanoTime();
      // One more message per conversation, so that every device hears of its feed's head however
      // the
      // dispatcher's restart fell.
      cast.probe("after-rolling");
      Cast.Settled settled = ClusterStatefulFaultsIT.settleAndConverge(cast, storm, CONVERGE);
      steps.forEach((node, step) -> report("rolling: %s: %s", node, step));
      report(
          "rolling: %d processes restarted in %d ms under a storm of %d senders; %d attempts, %d acknowledged, %d without "
              + "an answer (%d of them stored), failures %s; longest pause any sender saw: %d ms; log sizes %s",
          ORDER.size(),
          ms(began, ended),
          lanes.size(),
          cast.ledger.all().size(),
          cast.ledger.ackedCount(),
          settled.unanswered(),
          settled.unansweredStored(),
          storm.failures(),
          storm.longestAckGapMillis(),
          Reports.sizes(settled.truth().logs()));
      assertThat(ORDER)
          .as("processes running after the rolling restart")
          .allMatch(cluster::isAlive);
    }
  }
}
