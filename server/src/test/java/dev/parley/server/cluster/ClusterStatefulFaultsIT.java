package dev.parley.server.cluster;

import static dev.parley.server.cluster.Reports.ms;
import static dev.parley.server.cluster.Reports.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.testkit.KafkaExtension;
import dev.parley.testkit.RedisExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults of the stateful tier under a send storm (design.md 9, operations.md 4), one cluster for
 * the class on a PostgreSQL of its own that the test can restart, scenarios in order:
 *
 * <ol>
 *   <li>PostgreSQL restarted mid-storm (fast shutdown: sessions terminated, transactions in flight
 *       aborted): sends fail with a retryable answer or time out while it is away, never with a
 *       final error; they resume once it is back without restarting any Parley process; nothing
 *       acknowledged is lost, nothing stored twice, every device converges;
 *   <li>the Kafka broker restarted (graceful stop, start) during a group-only storm: sends go on,
 *       live delivery resumes, nothing lost or shown twice;
 *   <li>after a PostgreSQL restart every process holds its snowflake worker id again, so a process
 *       started later cannot lease one that is in use.
 * </ol>
 *
 * <p>The dispatcher killed before committing its offsets is {@link ClusterPushAndRedisFailuresIT}'s
 * first scenario; the broker killed (SIGKILL) under a mixed storm is {@link
 * ClusterMsgAndKafkaFailuresIT}'s second.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterStatefulFaultsIT {
  @RegisterExtension static final RedisExtension redis = new RedisExtension();
  @RegisterExtension static final KafkaExtension kafka = new KafkaExtension();
  private static final Duration CONVERGE = Duration.ofSeconds(60);

  /**
   * How long PostgreSQL stays away: longer than a send's timeout (5 s), so some sends surely fail.
   */
  private static final Duration OUTAGE = Duration.ofSeconds(8);

  static RestartablePostgres postgres;
  static ClusterHarness cluster;

  @BeforeAll
  static void startCluster() {
    long t0 = System.nanoTime();
    var dir = ClusterHarness.emptyDir("ClusterStatefulFaultsIT");
    postgres = new RestartablePostgres(dir.resolve("postgres")).start();
    cluster =
        ClusterHarness.start(
            dir, postgres.jdbcUrl(), postgres.user(), postgres.password(), redis, kafka.broker());
    report(
        "cluster of %d processes ready in %d ms",
        ClusterHarness.NODES.size(), ms(t0, System.nanoTime()));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) cluster.close();
    if (postgres != null) postgres.close();
  }

  @Test
  @Order(1)
  void postgresRestartedMidStorm_sendsGetRetryableAnswers_thenResume_nothingAcknowledgedLost()
      throws Exception {
    try (Cast cast = new Cast(cluster, "pgrestart")) {
      List<SendStorm.Lane> lanes = cast.lanes("pg");
      SendStorm storm = SendStorm.start(cast.ledger, lanes, Duration.ofSeconds(5));
      long down;
      long up;
      int ackedWhileDown;
      try (storm) {
        await().atMost(Duration.ofSeconds(60)).until(() -> cast.ledger.ackedCount() >= 100);
        down = System.nanoTime();
        postgres.stop();
        int acked = cast.ledger.ackedCount();
        Thread.sleep(OUTAGE.toMillis());
        ackedWhileDown = cast.ledger.ackedCount() - acked;
        postgres.start();
        up = System.nanoTime();
        await("every lane sends again after PostgreSQL is back")
            .atMost(Duration.ofSeconds(90))
            .until(() -> lanes.stream().allMatch(l -> storm.acksAfter(l.name(), up) > 0));
        awaitMoreAcks(cast, 100);
        storm.awaitFinished(Duration.ofSeconds(60));
      }
      long resumed =
          lanes.stream().mapToLong(l -> storm.firstAckAfter(l.name(), up)).max().orElseThrow();
      Cast.Settled settled = settleAndConverge(cast, storm, CONVERGE);
      assertThat(ClusterHarness.NODES)
          .as("processes still running after the restart")
          .allMatch(cluster::isAlive);
      report(
          "pgrestart: PostgreSQL away %d ms (fast shutdown to ready again), %d sends acknowledged meanwhile; every lane "
              + "acknowledged again %d ms after it was back; longest pause between acks of a lane %d ms; %d attempts, %d without "
              + "an answer (%d of them stored), failures %s; log sizes %s",
          ms(down, up),
          ackedWhileDown,
          ms(up, resumed),
          storm.longestAckGapMillis(),
          cast.ledger.all().size(),
          settled.unanswered(),
          settled.unansweredStored(),
          storm.failures(),
          Reports.sizes(settled.truth().logs()));
    }
  }

  @Test
  @Order(2)
  void kafkaBrokerRestartedDuringAGroupStorm_sendsGoOn_liveDeliveryResumes_nothingLostOrShownTwice()
      throws Exception {
    try (Cast cast = new Cast(cluster, "kafkarestart")) {
      List<SendStorm.Lane> lanes =
          cast.lanes("kg").stream().filter(l -> l.conversationId() == cast.group).toList();
      SendStorm storm = SendStorm.start(cast.ledger, lanes, Duration.ofSeconds(5));
      long down;
      long up;
      int ackedWhileDown;
      try (storm) {
        await().atMost(Duration.ofSeconds(60)).until(() -> cast.ledger.ackedCount() >= 100);
        down = System.nanoTime();
        cluster.kafka().stop();
        int acked = cast.ledger.ackedCount();
        // Sends are stored in PostgreSQL and acknowledged without Kafka; only live delivery waits.
        await("sends acknowledged while Kafka is away")
            .atMost(Duration.ofSeconds(60))
            .until(() -> cast.ledger.ackedCount() >= acked + 60);
        cluster.kafka().start();
        up = System.nanoTime();
        ackedWhileDown = cast.ledger.ackedCount() - acked;
        await("every device gets live group entries again")
            .atMost(Duration.ofSeconds(90))
            .until(() -> cast.all().stream().allMatch(d -> d.liveAfter(up)));
        awaitMoreAcks(cast, 60);
        storm.awaitFinished(Duration.ofSeconds(60));
      }
      long resumed = cast.all().stream().mapToLong(d -> d.firstLiveAfter(up)).max().orElseThrow();
      Cast.Settled settled = settleAndConverge(cast, storm, CONVERGE);
      report(
          "kafkarestart: broker away %d ms (stop to ready again), %d group sends acknowledged meanwhile; every device had a "
              + "live entry %d ms after it was back; longest pause between acks of a lane %d ms; %d attempts, %d without an "
              + "answer, failures %s; live repeats %d; group log %d entries",
          ms(down, up),
          ackedWhileDown,
          ms(up, resumed),
          storm.longestAckGapMillis(),
          cast.ledger.all().size(),
          settled.unanswered(),
          storm.failures(),
          cast.all().stream().mapToInt(ClusterDevice::liveRepeats).sum(),
          settled.truth().logs().get(cast.group).size());
    }
  }

  /**
   * A process's snowflake worker id is an advisory lock of a PostgreSQL session it keeps
   * (WorkerIdLease), and a restart of PostgreSQL ends that session. Each process must take its id
   * again once the database is back; otherwise a process started afterwards leases the lowest free
   * id, one that a running process still mints with, and two messages could get the same id.
   */
  @Test
  @Order(3)
  void afterAPostgresRestart_eachProcessTakesItsWorkerIdAgain_andOneStartedLaterGetsAnother()
      throws Exception {
    long down = System.nanoTime();
    postgres.stop();
    postgres.start();
    long up = System.nanoTime();
    await("user-1, msg-1 and msg-2 hold their worker ids again")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> leasedWorkerIds().size() == 3);
    long retaken = System.nanoTime();
    cluster.stop("msg-2");
    cluster.start("msg-2");
    Map<String, Integer> ids = new TreeMap<>();
    for (String node : List.of("user-1", "msg-1", "msg-2")) ids.put(node, lastLeasedWorkerId(node));
    assertThat(new HashSet<>(ids.values()))
        .as("worker ids of the running processes %s", ids)
        .hasSize(3);
    assertThat(leasedWorkerIds())
        .as("worker ids leased in PostgreSQL")
        .containsExactlyInAnyOrderElementsOf(ids.values());
    report(
        "workerids: PostgreSQL restarted in %d ms; the three leases were held again %d ms after it was back; after msg-2's "
            + "restart the ids are %s",
        ms(down, up), ms(up, retaken), ids);
  }

  /** The worker ids leased now: advisory locks in WorkerIdLease's key space. */
  private static Set<Integer> leasedWorkerIds() throws SQLException {
    try (Connection c =
            DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT objid::int FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = "
                    + 0x5052_4c59)) {
      Set<Integer> ids = new HashSet<>();
      while (rs.next()) ids.add(rs.getInt(1));
      return ids;
    }
  }

  /** The worker id a process said it leased last ("Snowflake worker id N leased"). */
  private static int lastLeasedWorkerId(String node) {
    Matcher m =
        Pattern.compile("Snowflake worker id (\\d+) leased").matcher(cluster.process(node).log());
    int id = -1;
    while (m.find()) id = Integer.parseInt(m.group(1));
    assertThat(id).as("%s leased a worker id", node).isNotNegative();
    return id;
  }

  /** Waits until {@code n} more sends were acknowledged (the storm goes on after a fault). */
  static void awaitMoreAcks(Cast cast, int n) {
    int target = cast.ledger.ackedCount() + n;
    await(n + " more acknowledged sends")
        .atMost(Duration.ofSeconds(90))
        .until(() -> cast.ledger.ackedCount() >= target);
  }

  /**
   * The checks of every fault test once the storm is over: no final error answer; every
   * acknowledged send kept, every attempt stored once after settling ({@link Cast#settle}); every
   * device holds exactly the server's logs and was shown each entry once, in order.
   */
  static Cast.Settled settleAndConverge(Cast cast, SendStorm storm, Duration converge) {
    assertNoFinalErrors(storm);
    Cast.Settled settled = cast.settle();
    cast.assertConverged(settled.truth().logs(), converge);
    return settled;
  }

  /**
   * Only "not now" answers (UNAVAILABLE, TOO_MANY_IN_FLIGHT) and timeouts are allowed: INTERNAL is
   * final for a client (protocol.md: the SDK drops the message from its outbox), so a fault of a
   * store must never surface as one.
   */
  static void assertNoFinalErrors(SendStorm storm) {
    assertThat(storm.failures())
        .as(
            "send failures by kind: INTERNAL is a final answer a client does not retry; a store fault must answer UNAVAILABLE")
        .doesNotContainKey("INTERNAL");
  }
}
