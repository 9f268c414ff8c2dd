package dev.parley.push.queue;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.common.bus.kafka.KafkaConfig;
import dev.parley.common.bus.kafka.KafkaTopics;
import dev.parley.proto.internal.PushJob;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's push queue (design 12.2): Kafka topic {@code parley.push}, one record per job keyed
 * by the recipient's user id (one user's jobs stay in order on one partition), read by the push
 * workers in consumer group {@code parley-push}.
 *
 * <p><b>Durability.</b> A job counts until its {@link JobTicket} is finished, which may be much
 * later (retries during a provider outage) and in any order. A partition's committed offset only
 * advances up to its oldest unfinished job ({@link PartitionProgress}), so after a crash or a
 * rebalance every unfinished job is handed out again, and of the finished ones only those after the
 * oldest unfinished one.
 *
 * <p><b>Bounded memory.</b> When this worker holds {@code max-pending} unfinished jobs it pauses
 * its partitions (it keeps polling, so it stays in the group, but receives nothing): lag grows in
 * Kafka instead of the heap. It resumes below {@code resume-below}. One poll returns at most {@code
 * max-pending} records, so a worker never holds twice that many.
 *
 * <p><b>Threads.</b> {@link #offer} only queues ({@link JobPublisher}). One thread owns the
 * consumer (the rebalance listener runs on it too) and calls the handler; tickets may be finished
 * on any thread, and the consumer thread commits what they let it commit between polls. Revoked
 * partitions commit their finished prefix, then their tickets become no-ops.
 */
public final class KafkaPushQueue implements PushQueue {
  private static final Logger log = LoggerFactory.getLogger(KafkaPushQueue.class);
  private static final Duration ERROR_PAUSE = Duration.ofSeconds(1);
  private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(5);

  private final KafkaPushQueueConfig config;
  private final JobPublisher publisher;
  private final Consumer<String, byte[]> consumer;
  private final PushQueueMetrics metrics;
  private final Thread thread;
  private volatile boolean stopping;

  // Touched only by the consumer's thread.
  private @Nullable PushJobHandler handler;
  private final Map<TopicPartition, PartitionProgress> partitions = new HashMap<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();
  private long lastCommitNanos = System.nanoTime();
  private boolean paused;

  KafkaPushQueue(
      KafkaPushQueueConfig config,
      org.apache.kafka.clients.producer.Producer<String, byte[]> producer,
      Consumer<String, byte[]> consumer,
      MeterRegistry registry) {
    this.config = config;
    this.metrics = new PushQueueMetrics(registry);
    this.publisher = new JobPublisher(producer, config.topic(), config.publishQueue(), metrics);
    this.consumer = consumer;
    this.thread = Thread.ofPlatform().name("push-queue-" + config.topic()).unstarted(this::run);
  }

  /**
   * A queue on the cluster's Kafka ({@code kafka}'s servers, client id and extra properties; its
   * delivery topic is not used). The topic must exist: {@link #ensureTopic}.
   */
  public static KafkaPushQueue create(
      KafkaConfig kafka, KafkaPushQueueConfig config, MeterRegistry registry) {
    Map<String, Object> consumerProperties = kafka.consumerProperties(config.groupId());
    consumerProperties.merge(
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
        config.maxPending(),
        (ours, bound) -> Math.min(Integer.parseInt(ours.toString()), (Integer) bound));
    return new KafkaPushQueue(
        config,
        new KafkaProducer<>(
            kafka.producerProperties(), new StringSerializer(), new ByteArraySerializer()),
        new KafkaConsumer<>(
            consumerProperties, new StringDeserializer(), new ByteArrayDeserializer()),
        registry);
  }

  /** Creates the push topic if it is missing (see {@link KafkaTopics#ensure}); returns its size. */
  public static int ensureTopic(KafkaConfig kafka, KafkaPushQueueConfig config) {
    try (Admin admin = Admin.create(kafka.adminProperties())) {
      return KafkaTopics.ensure(
          admin, config.topic(), config.partitions(), config.replicationFactor());
    }
  }

  @Override
  public void offer(PushJob job) {
    publisher.offer(job);
  }

  @Override
  public void start(PushJobHandler handler) {
    if (this.handler != null) throw new IllegalStateException("already started");
    this.handler = handler;
    thread.start();
  }

  /**
   * Stops handing out jobs (within one poll), commits what is finished, leaves the group and closes
   * the producer after handing it what was offered.
   */
  @Override
  public void close() {
    stopping = true;
    if (thread.isAlive()) {
      try {
        if (!thread.join(Duration.ofSeconds(30)))
          log.warn("Push queue consumer did not stop within 30 s");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else if (handler == null) {
      consumer.close(Duration.ZERO);
    }
    publisher.close();
  }

  private void run() {
    try {
      consumer.subscribe(List.of(config.topic()), new Rebalance());
      while (!stopping) {
        flowControl();
        ConsumerRecords<String, byte[]> records;
        try {
          records = consumer.poll(config.pollTimeout());
        } catch (RuntimeException e) {
          log.warn("Polling {} failed; retrying in {}", config.topic(), ERROR_PAUSE, e);
          sleep(ERROR_PAUSE);
          continue;
        }
        for (ConsumerRecord<String, byte[]> r : records) handOut(r);
        if (System.nanoTime() - lastCommitNanos >= config.commitInterval().toNanos()) {
          commit(partitions.keySet());
        }
      }
    } catch (RuntimeException e) {
      log.error("Push queue consumer stopped by an unexpected error", e);
    } finally {
      commit(partitions.keySet());
      try {
        consumer.close(COMMIT_TIMEOUT);
      } catch (RuntimeException e) {
        log.warn("Closing the push queue's Kafka consumer failed", e);
      }
    }
  }

  private void handOut(ConsumerRecord<String, byte[]> r) {
    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
    PartitionProgress progress = partitions.computeIfAbsent(tp, p -> new PartitionProgress());
    progress.handedOut(r.offset());
    metrics.pending.incrementAndGet();
    metrics.handedOut.increment();
    Ticket ticket = new Ticket(progress, r.offset());
    PushJob job;
    try {
      job = PushJob.parseFrom(r.value() == null ? new byte[0] : r.value());
    } catch (InvalidProtocolBufferException e) {
      log.warn("Skipped a record of {} that is not a PushJob ({})", tp, r.offset());
      ticket.finish();
      return;
    }
    try {
      if (handler != null) handler.handle(job, ticket);
    } catch (RuntimeException e) {
      // A handler that throws would hold the partition back forever: the job is given up.
      log.error("The push job handler failed on {} offset {}; job dropped", tp, r.offset(), e);
      ticket.finish();
    }
  }

  /** Pauses every partition at max-pending; resumes them below the low-water mark. */
  private void flowControl() {
    int pending = metrics.pending.get();
    if (!paused && pending >= config.maxPending()) {
      paused = true;
      consumer.pause(consumer.assignment());
      metrics.paused.set(consumer.paused().size());
      log.info("Push queue paused: {} unfinished jobs", pending);
    } else if (paused && pending < config.resumeBelow()) {
      paused = false;
      consumer.resume(consumer.paused());
      metrics.paused.set(0);
      log.info("Push queue resumed: {} unfinished jobs", pending);
    }
  }

  /** Commits the offsets of {@code which} that advanced since their last commit. */
  private void commit(Collection<TopicPartition> which) {
    lastCommitNanos = System.nanoTime();
    Map<TopicPartition, OffsetAndMetadata> advanced = new HashMap<>();
    for (TopicPartition tp : which) {
      PartitionProgress progress = partitions.get(tp);
      if (progress == null) continue;
      OptionalLong offset = progress.committable();
      if (offset.isPresent() && offset.getAsLong() > committed.getOrDefault(tp, -1L)) {
        advanced.put(tp, new OffsetAndMetadata(offset.getAsLong()));
      }
    }
    if (advanced.isEmpty()) return;
    try {
      consumer.commitSync(advanced, COMMIT_TIMEOUT);
      advanced.forEach((tp, o) -> committed.put(tp, o.offset()));
    } catch (RuntimeException e) {
      // Broker away, or the group moved on: the offsets are computed again for the next commit,
      // and a partition's new owner replays from its last commit. Nothing is lost, some is
      // repeated.
      log.warn("Committing push queue offsets failed ({}); retried later", e.toString());
    }
  }

  private void forget(Collection<TopicPartition> gone) {
    for (TopicPartition tp : gone) {
      PartitionProgress progress = partitions.remove(tp);
      committed.remove(tp);
      if (progress != null) metrics.pending.addAndGet(-progress.revoke());
    }
  }

  private void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Finishes one job of one assignment of a partition; a no-op once the partition is revoked. */
  private final class Ticket implements JobTicket {
    private final PartitionProgress progress;
    private final long offset;

    Ticket(PartitionProgress progress, long offset) {
      this.progress = progress;
      this.offset = offset;
    }

    @Override
    public void finish() {
      if (progress.finish(offset)) {
        metrics.pending.decrementAndGet();
        metrics.finished.increment();
      }
    }
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      commit(revoked);
      forget(revoked);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
      forget(lost);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
      // Partitions that arrive while paused stay paused until the worker catches up.
      if (paused) {
        consumer.pause(assigned);
        metrics.paused.set(consumer.paused().size());
      }
      log.info("Push queue assigned partitions {}", assigned);
    }
  }
}
