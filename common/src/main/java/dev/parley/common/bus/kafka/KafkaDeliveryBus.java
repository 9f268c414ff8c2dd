package dev.parley.common.bus.kafka;

import dev.parley.common.bus.DeliveryBus;
import dev.parley.proto.client.Event;
import dev.parley.proto.internal.Delivery;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's delivery bus: each published {@link Delivery} becomes one record of the delivery
 * topic, which the push role's dispatcher reads and hands to the gateways.
 *
 * <p>Order: the record key is the conversation id of a message update ({@code
 * event.update.message}), otherwise the first recipient's user id (decimal strings). Kafka keeps
 * one key on one partition and the idempotent producer keeps a partition's records in send order
 * even across retries, so the deliveries of one conversation reach the dispatcher in the order the
 * service published them.
 *
 * <p>Best effort, and never in the caller's way: {@link #publish} only puts the delivery on a
 * bounded in-memory queue and returns; one publisher thread hands the queue to the producer, in
 * order. That thread, not the service's request thread, is what waits when Kafka is away (the
 * producer may block up to {@code max.block.ms} per record while it has no metadata for the topic).
 * A delivery that does not fit the queue, or that Kafka does not take (broker unreachable past the
 * timeouts of {@link KafkaConfig#producerProperties()}), is counted in {@code
 * parley.bus.kafka.failed} and logged at most every 10 s; the devices concerned find the update in
 * their feed.
 */
public final class KafkaDeliveryBus implements DeliveryBus, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaDeliveryBus.class);
  private static final long LOG_EVERY_NANOS = Duration.ofSeconds(10).toNanos();

  /** The record header of a traced delivery: the W3C {@code traceparent} of its publish span. */
  public static final String TRACEPARENT = "traceparent";

  /**
   * Deliveries waiting for the publisher thread; beyond this many, new ones are dropped (and
   * counted).
   */
  static final int QUEUE_CAPACITY = 50_000;

  private final Producer<String, byte[]> producer;
  private final String topic;
  private final java.util.concurrent.BlockingQueue<Delivery> queue =
      new java.util.concurrent.LinkedBlockingQueue<>(QUEUE_CAPACITY);
  private final java.util.concurrent.atomic.AtomicInteger inFlight =
      new java.util.concurrent.atomic.AtomicInteger();
  private final Thread publisher;
  private volatile boolean closing;
  private final Counter sent;
  private final Counter failed;
  // Failure logging is throttled: a broker outage would otherwise log once per delivery.
  private final AtomicLong lastFailureLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
  private final AtomicLong unloggedFailures = new AtomicLong();

  public KafkaDeliveryBus(Producer<String, byte[]> producer, String topic, MeterRegistry registry) {
    this.producer = producer;
    this.topic = topic;
    this.sent =
        Counter.builder("parley.bus.kafka.sent")
            .description("Deliveries acknowledged by Kafka")
            .register(registry);
    this.failed =
        Counter.builder("parley.bus.kafka.failed")
            .description("Deliveries Kafka did not take (dropped: devices catch up by sync)")
            .register(registry);
    io.micrometer.core.instrument.Gauge.builder(
            "parley.bus.kafka.queued", queue, java.util.Collection::size)
        .description("Deliveries waiting for the publisher thread")
        .register(registry);
    this.publisher =
        Thread.ofPlatform().daemon().name("kafka-publisher-" + topic).start(this::drain);
  }

  /** A bus with its own producer, configured by {@link KafkaConfig#producerProperties()}. */
  public static KafkaDeliveryBus create(KafkaConfig config, MeterRegistry registry) {
    Producer<String, byte[]> producer =
        new KafkaProducer<>(
            config.producerProperties(), new StringSerializer(), new ByteArraySerializer());
    return new KafkaDeliveryBus(producer, config.topic(), registry);
  }

  @Override
  public void publish(Delivery delivery) {
    inFlight.incrementAndGet();
    if (closing || !queue.offer(delivery)) {
      inFlight.decrementAndGet();
      failed(
          new IllegalStateException(closing ? "the bus is closing" : "the publish queue is full"));
    }
  }

  private void drain() {
    while (true) {
      Delivery delivery;
      try {
        delivery = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      try {
        send(delivery);
      } finally {
        inFlight.decrementAndGet();
      }
    }
  }

  private void send(Delivery delivery) {
    ProducerRecord<String, byte[]> record = record(topic, delivery);
    try {
      producer.send(
          record,
          (metadata, error) -> {
            if (error == null) {
              sent.increment();
            } else {
              failed(error);
            }
          });
    } catch (RuntimeException e) {
      // send() reports most failures through the callback; what it throws (a closed producer, an
      // interrupt, a record over max.request.size) is treated the same way.
      failed(e);
    }
  }

  /**
   * Not available: in a cluster no gateway subscribes to Kafka directly. The dispatcher (push role)
   * consumes the topic and calls each gateway's {@code Deliver}, which feeds the gateway's local
   * bus.
   */
  @Override
  public AutoCloseable subscribe(Consumer<Delivery> sink) {
    throw new UnsupportedOperationException(
        "KafkaDeliveryBus only publishes: in cluster mode the dispatcher consumes topic "
            + topic
            + " and hands deliveries to each gateway's local bus through GatewayService.Deliver");
  }

  /** Waits until every delivery published so far is acknowledged or failed. */
  public void flush() {
    awaitHandedOver();
    producer.flush();
  }

  /** Waits until the publisher thread has handed every queued delivery to the producer. */
  void awaitHandedOver() {
    while (inFlight.get() > 0 && publisher.isAlive()) {
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
  }

  /** Hands over what is queued (waiting at most 5 s), then closes the producer. */
  @Override
  public void close() {
    closing = true;
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
    publisher.interrupt();
    producer.close(Duration.ofSeconds(5));
  }

  /**
   * The record of a delivery. A traced one's {@code traceparent} moves to the record header of that
   * name, where Kafka tools and instrumented consumers look for the W3C trace context; the
   * dispatcher reads it from there.
   */
  static ProducerRecord<String, byte[]> record(String topic, Delivery delivery) {
    if (delivery.getTraceparent().isEmpty()) {
      return new ProducerRecord<>(topic, keyOf(delivery), delivery.toByteArray());
    }
    Headers headers =
        new RecordHeaders()
            .add(TRACEPARENT, delivery.getTraceparent().getBytes(StandardCharsets.US_ASCII));
    byte[] value = delivery.toBuilder().clearTraceparent().build().toByteArray();
    return new ProducerRecord<>(topic, null, keyOf(delivery), value, headers);
  }

  /**
   * The record key: the conversation of a message update, else the first recipient; null (any
   * partition) for a delivery without recipients, which no one would receive anyway.
   */
  static @Nullable String keyOf(Delivery delivery) {
    Event event = delivery.getEvent();
    if (event.hasUpdate() && event.getUpdate().hasMessage()) {
      long conversationId = event.getUpdate().getMessage().getConversationId();
      if (conversationId != 0) return Long.toString(conversationId);
    }
    if (delivery.getUserIdsCount() > 0) return Long.toString(delivery.getUserIds(0));
    return null;
  }

  private void failed(Exception error) {
    failed.increment();
    long now = System.nanoTime();
    long last = lastFailureLog.get();
    if (now - last >= LOG_EVERY_NANOS && lastFailureLog.compareAndSet(last, now)) {
      long others = unloggedFailures.getAndSet(0);
      log.warn(
          "Kafka did not take a delivery for topic {} ({} more failures since the last report)",
          topic,
          others,
          error);
    } else {
      unloggedFailures.incrementAndGet();
    }
  }
}
