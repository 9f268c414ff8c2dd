package dev.parley.push.dispatch;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.common.bus.kafka.KafkaConfig;
import dev.parley.common.presence.Presence;
import dev.parley.proto.internal.Delivery;
import io.grpc.ChannelCredentials;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher (push role): reads the deliveries from Kafka and hands each gateway the ones for
 * the devices it holds.
 *
 * <p><b>Loop.</b> poll a batch → one presence lookup for all its recipients and one for the
 * gateways' addresses ({@link GatewayDirectory}, which also knows the gateways whose presence was
 * lost and gets their share of recipients missing from presence) → split it by gateway ({@link
 * Routing}) → one ordered {@code Deliver} call per gateway, gateways in parallel ({@link
 * GatewayHandOver}) → every event, with its recipients' connected sessions, to the {@link
 * PushHandOff} → commit the batch's offsets → poll again.
 *
 * <p><b>At-least-once.</b> Auto-commit is off; a batch's offsets are committed only after the batch
 * was handed over. A crash (or {@link #halt()}) between hand-over and commit leaves the offsets
 * where they were, so the partitions' next owner (after the group rebalances) hands the batch over
 * again. Devices drop what they already have by pts, so a replay shows nothing twice. A gateway
 * that fails is not retried: the commit goes ahead and its devices catch up by sync, as after any
 * missed live event; so "at least once" means at least one attempt, and the feed is the source of
 * truth.
 *
 * <p><b>Order.</b> Kafka keeps one conversation on one partition; a batch holds each partition's
 * records in order, {@link Routing} keeps batch order per gateway, a gateway applies one call's
 * deliveries in order, and the next batch is handed over only after this one.
 *
 * <p><b>Failures.</b> Nothing transient stops the loop: while the broker is away, polls return
 * nothing and commits fail (the offsets stay pending and go with the next commit); the client
 * reconnects by itself. A failed presence lookup skips the batch. Unexpected errors are logged and
 * the loop goes on after a pause.
 *
 * <p><b>Threads.</b> One thread owns the consumer (KafkaConsumer is single-threaded; the rebalance
 * listener runs on it too). {@link #close()} and {@link #halt()} only signal it through {@code
 * wakeup()}.
 */
public final class Dispatcher implements AutoCloseable {
  /** The instrumentation scope of the dispatcher's spans. */
  public static final String TRACER = "dev.parley.push";

  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  private static final Duration ERROR_PAUSE = Duration.ofSeconds(1);
  private static final int PRESENCE_ATTEMPTS = 3;

  private final Consumer<String, byte[]> consumer;
  private final String topic;
  private final Presence presence;
  private final GatewayHandOver gateways;
  private final GatewayDirectory directory;
  private final PushHandOff handOff;
  private final DispatcherConfig config;
  private final DispatcherMetrics metrics;
  private final Tracer tracer;
  private final Thread thread;
  private final CountDownLatch stopping = new CountDownLatch(1);
  private volatile boolean halted;

  /** Offsets handed over but not yet committed; touched only by the consumer's thread. */
  private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();

  Dispatcher(
      Consumer<String, byte[]> consumer,
      String topic,
      Presence presence,
      GatewayChannels channels,
      PushHandOff handOff,
      DispatcherConfig config,
      MeterRegistry registry,
      Clock clock,
      Tracer tracer) {
    this.consumer = consumer;
    this.tracer = tracer;
    this.topic = topic;
    this.presence = presence;
    this.handOff = handOff;
    this.config = config;
    this.metrics = new DispatcherMetrics(registry);
    this.gateways = new GatewayHandOver(channels, config, metrics, clock, tracer);
    this.directory = new GatewayDirectory(clock);
    this.thread = Thread.ofPlatform().name("dispatcher-" + topic).unstarted(this::run);
  }

  /**
   * A dispatcher reading {@code kafka.topic()} in group {@code config.groupId()}, calling gateways
   * over gRPC channels secured by {@code gatewayCredentials} (the cluster's mTLS credentials, or
   * {@code InsecureChannelCredentials} when the cluster runs without TLS). Call {@link #start()}.
   * The topic must exist ({@code KafkaTopics.ensure}).
   */
  public static Dispatcher create(
      KafkaConfig kafka,
      DispatcherConfig config,
      ChannelCredentials gatewayCredentials,
      Presence presence,
      PushHandOff handOff,
      MeterRegistry registry,
      Clock clock) {
    return create(
        kafka,
        config,
        gatewayCredentials,
        presence,
        handOff,
        registry,
        clock,
        OpenTelemetry.noop().getTracer("none"));
  }

  /**
   * As above, with the spans of traced deliveries ({@link DispatchTrace}) made by {@code tracer}.
   */
  public static Dispatcher create(
      KafkaConfig kafka,
      DispatcherConfig config,
      ChannelCredentials gatewayCredentials,
      Presence presence,
      PushHandOff handOff,
      MeterRegistry registry,
      Clock clock,
      Tracer tracer) {
    Consumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            kafka.consumerProperties(config.groupId()),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    return new Dispatcher(
        consumer,
        kafka.topic(),
        presence,
        GatewayChannels.network(gatewayCredentials, clock, config.channelIdleTimeout()),
        handOff,
        config,
        registry,
        clock,
        tracer);
  }

  public void start() {
    thread.start();
  }

  /**
   * Stops after the batch in progress, commits what was handed over, leaves the group, closes
   * channels.
   */
  @Override
  public void close() {
    stopping.countDown();
    wakeUp();
    if (thread.isAlive() && Thread.currentThread() != thread) {
      try {
        if (!thread.join(Duration.ofSeconds(30))) log.warn("Dispatcher did not stop within 30 s");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    gateways.close();
  }

  /**
   * Stops like a crash: after the call in progress, without committing what was handed over since
   * the last commit, so that the partitions' next owner hands it over again. Returns at once (it
   * may be called from within a gateway call); {@link #awaitStopped} waits for the consumer to be
   * closed.
   */
  public void halt() {
    halted = true;
    stopping.countDown();
    wakeUp();
  }

  /**
   * Interrupts a blocking poll or commit; harmless when the loop has already closed the consumer.
   */
  private void wakeUp() {
    if (!thread.isAlive()) return;
    try {
      consumer.wakeup();
    } catch (RuntimeException e) {
      log.debug("Waking up the consumer failed (already closed)", e);
    }
  }

  /** Waits until the loop has ended and the consumer is closed; true if it has. */
  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return thread.join(timeout);
  }

  public boolean isRunning() {
    return thread.isAlive();
  }

  private boolean stopRequested() {
    return stopping.getCount() == 0;
  }

  private void run() {
    try {
      consumer.subscribe(List.of(topic), new Rebalance());
      while (!stopRequested()) {
        ConsumerRecords<String, byte[]> records;
        try {
          records = consumer.poll(config.pollTimeout());
        } catch (WakeupException e) {
          continue;
        } catch (RuntimeException e) {
          metrics.pollFailures.increment();
          log.warn("Polling {} failed; retrying in {}", topic, ERROR_PAUSE, e);
          pause(ERROR_PAUSE);
          continue;
        }
        if (!records.isEmpty()) {
          dispatch(records);
          if (halted) return;
          commit();
        }
        gateways.closeIdle();
      }
    } catch (RuntimeException e) {
      log.error("Dispatcher stopped by an unexpected error", e);
    } finally {
      if (!halted) commit();
      try {
        consumer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        log.warn("Closing the Kafka consumer failed", e);
      }
    }
  }

  private void dispatch(ConsumerRecords<String, byte[]> records) {
    List<Delivery> batch = new ArrayList<>(records.count());
    DispatchTrace trace = new DispatchTrace(tracer, records.count());
    for (ConsumerRecord<String, byte[]> r : records) {
      uncommitted.put(
          new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
      try {
        batch.add(
            trace.received(r, Delivery.parseFrom(r.value() == null ? new byte[0] : r.value())));
      } catch (InvalidProtocolBufferException e) {
        metrics.malformed.increment();
        log.warn(
            "Skipped a record of {} that is not a Delivery (partition {}, offset {})",
            topic,
            r.partition(),
            r.offset());
      }
    }
    metrics.consumed.increment(batch.size());
    long start = System.nanoTime();
    try {
      route(batch);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while handing over a batch", e);
    } catch (RuntimeException e) {
      log.error("Dispatching a batch of {} deliveries failed; skipped", batch.size(), e);
    } finally {
      trace.end();
      metrics.batch.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  private void route(List<Delivery> batch) throws InterruptedException {
    Map<Long, Map<Long, String>> sessions = lookUp(Routing.recipients(batch));
    if (sessions == null) return;
    Map<Long, Set<String>> online = new HashMap<>();
    Map<Long, Set<Long>> connected = new HashMap<>();
    sessions.forEach(
        (user, held) -> {
          online.put(user, new LinkedHashSet<>(held.values()));
          connected.put(user, held.keySet());
        });
    GatewayDirectory.View view = gatewaysOf(online);
    if (view == null) return;
    Routing.Plan plan = Routing.plan(batch, online, view.unaccounted());
    if (!view.unaccounted().isEmpty()) metrics.unknownPresence.increment(plan.offline().size());
    if (plan.malformed() > 0) {
      metrics.malformed.increment(plan.malformed());
      log.warn("Skipped {} deliveries whose user_pts do not pair with user_ids", plan.malformed());
    }
    gateways.handOver(plan.perGateway(), view.addresses());
    for (Delivery d : batch) {
      if (!d.hasEvent() || (d.getUserPtsCount() != 0 && d.getUserPtsCount() != d.getUserIdsCount()))
        continue;
      try {
        handOff.handOff(d, connected);
        metrics.pushed.increment();
      } catch (RuntimeException e) {
        log.warn("Push hand-off failed", e);
      }
    }
  }

  /**
   * The connected sessions (session → gateway) of the batch's recipients; null (batch skipped) if
   * the store cannot answer.
   */
  private @Nullable Map<Long, Map<Long, String>> lookUp(Set<Long> users) {
    for (int attempt = 1; ; attempt++) {
      try {
        return presence.sessionsOf(users);
      } catch (RuntimeException e) {
        if (attempt == PRESENCE_ATTEMPTS || stopRequested()) {
          metrics.presenceFailures.increment();
          log.warn(
              "Presence lookup failed {} times; batch of live events skipped (devices catch up by sync)",
              attempt,
              e);
          return null;
        }
        pause(Duration.ofMillis(100L * attempt));
      }
    }
  }

  /**
   * The addresses of the gateways holding these users, and those presence cannot speak for; null if
   * the store cannot answer.
   */
  private GatewayDirectory.@Nullable View gatewaysOf(Map<Long, Set<String>> online) {
    Set<String> wanted = new java.util.LinkedHashSet<>();
    online.values().forEach(wanted::addAll);
    try {
      return directory.lookUp(presence, wanted);
    } catch (RuntimeException e) {
      metrics.presenceFailures.increment();
      log.warn("Gateway lookup failed; batch of live events skipped (devices catch up by sync)", e);
      return null;
    }
  }

  private void commit() {
    if (uncommitted.isEmpty()) return;
    try {
      consumer.commitSync(uncommitted, config.commitTimeout());
      uncommitted.clear();
    } catch (WakeupException e) {
      // close() or halt() is under way: the loop ends and the final commit (unless halted) retries.
    } catch (CommitFailedException e) {
      // The group moved on without us (we were too slow or the coordinator restarted): the
      // partitions
      // may have a new owner, which starts from the last commit and replays the rest.
      metrics.commitFailures.increment();
      uncommitted.clear();
      log.warn(
          "Offset commit rejected after a rebalance; the new owner replays from the last commit",
          e);
    } catch (RuntimeException e) {
      // Broker away or slow: keep the offsets, the next commit carries them (they only move
      // forward).
      metrics.commitFailures.increment();
      log.warn("Offset commit failed ({}); retried with the next batch", e.toString());
    }
  }

  private void pause(Duration d) {
    try {
      stopping.await(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Commits what was handed over for partitions about to go to another dispatcher. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      Map<TopicPartition, OffsetAndMetadata> leaving = new HashMap<>();
      for (TopicPartition p : partitions) {
        OffsetAndMetadata o = uncommitted.remove(p);
        if (o != null) leaving.put(p, o);
      }
      if (halted || leaving.isEmpty()) return;
      try {
        consumer.commitSync(leaving, config.commitTimeout());
      } catch (RuntimeException e) {
        metrics.commitFailures.increment();
        log.warn(
            "Commit of revoked partitions {} failed; their new owner replays from the last commit",
            leaving.keySet(),
            e);
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      partitions.forEach(uncommitted::remove);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      log.info("Dispatcher assigned partitions {}", partitions);
    }
  }
}
