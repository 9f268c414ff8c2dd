package dev.parley.push.queue;

import dev.parley.proto.internal.PushJob;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producing half of {@link KafkaPushQueue}: {@link #offer} puts a job on a bounded in-memory
 * queue and returns; one thread hands the queue to the Kafka producer in order.
 *
 * <p>Why a thread: {@code KafkaProducer.send} blocks up to {@code max.block.ms} while it has no
 * metadata for the topic or its buffer is full (broker away), and {@code offer} runs on the
 * dispatcher's thread, which carries every live event. So the caller only ever waits for a queue
 * insert; when the queue is full, or Kafka refuses a record, the job is dropped and counted. One
 * thread and the idempotent producer keep one user's jobs (one key) in offer order.
 */
final class JobPublisher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JobPublisher.class);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  private final Producer<String, byte[]> producer;
  private final String topic;
  private final PushQueueMetrics metrics;
  private final BlockingQueue<PushJob> queue;
  private final Thread thread;
  private final AtomicBoolean failing = new AtomicBoolean();
  private volatile boolean closing;

  JobPublisher(
      Producer<String, byte[]> producer, String topic, int capacity, PushQueueMetrics metrics) {
    this.producer = producer;
    this.topic = topic;
    this.metrics = metrics;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.thread = Thread.ofPlatform().daemon().name("push-publisher-" + topic).start(this::run);
  }

  void offer(PushJob job) {
    metrics.offered.increment();
    if (closing || !queue.offer(job)) dropped(closing ? "the queue is closing" : "it is full");
  }

  private void run() {
    while (true) {
      PushJob job;
      try {
        job = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      try {
        producer.send(
            new ProducerRecord<>(topic, Long.toString(job.getUserId()), job.toByteArray()),
            (metadata, error) -> {
              if (error != null) {
                dropped(error.toString());
              } else if (failing.compareAndSet(true, false)) {
                log.info("Kafka takes push jobs for {} again", topic);
              }
            });
      } catch (RuntimeException e) {
        // What send() throws (no metadata within max.block.ms, a closed producer, an interrupt)
        // is a drop like one reported through the callback.
        dropped(e.toString());
      }
    }
  }

  /** Counts a dropped job; logs once per run of failures, not once per job. */
  private void dropped(String why) {
    metrics.dropped.increment();
    if (failing.compareAndSet(false, true)) {
      log.warn(
          "Push jobs for {} are being dropped ({}); counted in parley.push.queue.dropped until it recovers",
          topic,
          why);
    }
  }

  /** Hands over what is queued (waiting at most 5 s), then closes the producer. */
  @Override
  public void close() {
    closing = true;
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    while (!queue.isEmpty() && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    thread.interrupt();
    producer.close(CLOSE_WAIT);
  }
}
