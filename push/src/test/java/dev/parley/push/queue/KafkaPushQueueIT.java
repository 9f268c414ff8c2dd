package dev.parley.push.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.common.bus.kafka.KafkaConfig;
import dev.parley.proto.internal.PushJob;
import dev.parley.testkit.FreePorts;
import dev.parley.testkit.KafkaExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaPushQueueIT {
  @RegisterExtension static final KafkaExtension kafka = new KafkaExtension();

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();

  /** A job and its ticket, as the handler received them. */
  record Received(PushJob job, JobTicket ticket) {
    long n() {
      return job.getCommittedAtMs();
    }
  }

  @AfterEach
  void closeAll() throws Exception {
    while (!resources.isEmpty()) resources.pop().close();
  }

  private KafkaConfig kafkaConfig() {
    return KafkaConfig.of(kafka.bootstrapServers(), "push-queue-it");
  }

  private KafkaPushQueueConfig config(String topic, int maxPending, int resumeBelow) {
    return new KafkaPushQueueConfig(
        topic,
        3,
        (short) 1,
        topic + "-workers",
        maxPending,
        resumeBelow,
        1_000,
        Duration.ofMillis(50),
        Duration.ofMillis(100));
  }

  private KafkaPushQueue queue(KafkaPushQueueConfig config) {
    KafkaPushQueue.ensureTopic(kafkaConfig(), config);
    KafkaPushQueue queue = KafkaPushQueue.create(kafkaConfig(), config, registry);
    resources.push(queue);
    return queue;
  }

  /** Starts the queue with a handler that keeps every job and ticket, finishing none. */
  private static List<Received> holding(KafkaPushQueue queue) {
    List<Received> received = new CopyOnWriteArrayList<>();
    queue.start((job, ticket) -> received.add(new Received(job, ticket)));
    return received;
  }

  private static PushJob job(long userId, long n) {
    return PushJob.newBuilder().setUserId(userId).setCommittedAtMs(n).build();
  }

  private static List<Long> numbers(List<Received> received) {
    return received.stream().map(Received::n).toList();
  }

  private long committed(String group, String topic)
      throws ExecutionException, InterruptedException {
    try (Admin admin = kafka.admin()) {
      Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> offsets =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      return offsets.entrySet().stream()
          .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
          .mapToLong(e -> e.getValue().offset())
          .sum();
    }
  }

  private double count(String name) {
    return registry.counter("parley.push.queue." + name).count();
  }

  private double gauge(String name) {
    return registry.get("parley.push.queue." + name).gauge().value();
  }

  @Test
  void eachUsersJobsArriveInOrder() {
    KafkaPushQueue queue = queue(config("push-order", 1_000, 500));
    List<Received> received = new CopyOnWriteArrayList<>();
    queue.start(
        (job, ticket) -> {
          received.add(new Received(job, ticket));
          ticket.finish();
        });

    for (long n = 1; n <= 40; n++) for (long user = 1; user <= 5; user++) queue.offer(job(user, n));

    await().atMost(WAIT).until(() -> received.size() == 200);
    for (long user = 1; user <= 5; user++) {
      long u = user;
      List<Long> ofUser =
          received.stream().filter(r -> r.job().getUserId() == u).map(Received::n).toList();
      assertThat(ofUser).as("jobs of user %d", u).isSorted().hasSize(40).doesNotHaveDuplicates();
    }
    assertThat(count("offered")).isEqualTo(200);
    assertThat(count("handed")).isEqualTo(200);
    assertThat(count("finished")).isEqualTo(200);
    assertThat(count("dropped")).isZero();
    assertThat(gauge("pending")).isZero();
  }

  @Test
  void finishingLaterJobsFirstDoesNotCommitPastTheOldestUnfinished() throws Exception {
    KafkaPushQueueConfig config = config("push-out-of-order", 1_000, 500);
    KafkaPushQueue queue = queue(config);
    List<Received> received = holding(queue);
    for (long n = 1; n <= 10; n++) queue.offer(job(7, n));
    await().atMost(WAIT).until(() -> received.size() == 10);

    for (int i = 9; i >= 4; i--) received.get(i).ticket().finish(); // jobs 10 .. 5
    // Many commit intervals (100 ms) pass: had a later finish moved the offset, it would show.
    Thread.sleep(1_000);
    assertThat(committed(config.groupId(), config.topic())).isZero();
    assertThat(gauge("pending")).isEqualTo(4);

    received.get(0).ticket().finish();
    received.get(2).ticket().finish();
    await().atMost(WAIT).until(() -> committed(config.groupId(), config.topic()) == 1);
    received.get(1).ticket().finish();
    await().atMost(WAIT).until(() -> committed(config.groupId(), config.topic()) == 3);
    received.get(3).ticket().finish();
    await().atMost(WAIT).until(() -> committed(config.groupId(), config.topic()) == 10);
    assertThat(count("finished")).isEqualTo(10);
  }

  @Test
  void anUnfinishedJobIsHandedToTheNextWorkerAndTheFinishedOnesBeforeItAreNot() throws Exception {
    KafkaPushQueueConfig config = config("push-replay", 1_000, 500);
    KafkaPushQueue first = queue(config);
    List<Received> received = holding(first);
    for (long n = 1; n <= 6; n++) first.offer(job(9, n));
    await().atMost(WAIT).until(() -> received.size() == 6);

    // Jobs 1, 2 and 5 are done; 3 is stuck (its provider is down), 4 and 6 are still being sent.
    received.get(0).ticket().finish();
    received.get(1).ticket().finish();
    received.get(4).ticket().finish();
    first.close();
    resources.remove(first);
    assertThat(committed(config.groupId(), config.topic())).isEqualTo(2);
    // A ticket finished after its worker stopped changes nothing.
    received.get(2).ticket().finish();

    List<Received> replayed = holding(queue(config));
    await().atMost(WAIT).until(() -> replayed.size() >= 4);
    Thread.sleep(500);
    assertThat(numbers(replayed)).containsExactly(3L, 4L, 5L, 6L);
  }

  @Test
  void pausesAtMaxPendingAndResumesBelowTheLowWaterMark() throws Exception {
    KafkaPushQueue queue = queue(config("push-pause", 5, 2));
    List<Received> held = new CopyOnWriteArrayList<>();
    List<Long> finishedAtOnce = new CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicBoolean finishAtOnce =
        new java.util.concurrent.atomic.AtomicBoolean();
    queue.start(
        (job, ticket) -> {
          if (finishAtOnce.get()) {
            finishedAtOnce.add(job.getCommittedAtMs());
            ticket.finish();
          } else {
            held.add(new Received(job, ticket));
          }
        });
    for (long n = 1; n <= 40; n++) queue.offer(job(3, n));

    await().atMost(WAIT).until(() -> gauge("paused") > 0);
    assertThat(held.size()).isBetween(5, 9);
    Thread.sleep(1_000); // while paused, polls go on but nothing more is handed out
    assertThat(held.size()).isBetween(5, 9);
    assertThat(gauge("pending")).isEqualTo(held.size());

    // Down to 3 unfinished: above the low-water mark (2), still paused.
    int holding = held.size();
    for (int i = 0; i < holding - 3; i++) held.get(i).ticket().finish();
    Thread.sleep(500);
    assertThat(gauge("paused")).isPositive();
    assertThat(held).hasSize(holding);

    finishAtOnce.set(true);
    for (Received r : new ArrayList<>(held)) r.ticket().finish();
    await().atMost(WAIT).until(() -> held.size() + finishedAtOnce.size() == 40);
    assertThat(gauge("paused")).isZero();
    assertThat(gauge("pending")).isZero();
    assertThat(finishedAtOnce).isSorted();
  }

  @Test
  void withKafkaUnreachableOfferNeitherBlocksNorThrowsAndCountsTheDrops() {
    int closedPort = FreePorts.next();
    KafkaConfig away = KafkaConfig.of("127.0.0.1:" + closedPort, "push-queue-it-away");
    KafkaPushQueueConfig config =
        new KafkaPushQueueConfig(
            "push-away",
            1,
            (short) 1,
            "push-away-workers",
            100,
            50,
            8,
            Duration.ofMillis(50),
            Duration.ofMillis(100));
    KafkaPushQueue queue = KafkaPushQueue.create(away, config, registry);
    resources.push(queue);

    long start = System.nanoTime();
    for (long n = 1; n <= 500; n++) queue.offer(job(1, n));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    // The producer would wait max.block.ms (1 s) for metadata on each record: 500 s if offer sent.
    assertThat(took).isLessThan(Duration.ofMillis(500));
    assertThat(count("offered")).isEqualTo(500);
    // At most the queue (8) and the one record the publisher thread is trying are not dropped yet.
    assertThat(count("dropped")).isGreaterThanOrEqualTo(491);
  }
}
