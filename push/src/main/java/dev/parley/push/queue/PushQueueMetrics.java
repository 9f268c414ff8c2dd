package dev.parley.push.queue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/** The push queue's meters ({@code parley.push.queue.*}); see operations.md. */
final class PushQueueMetrics {
  final Counter offered;
  final Counter dropped;
  final Counter handedOut;
  final Counter finished;

  /** Jobs handed out and not finished, over the partitions this worker holds. */
  final AtomicInteger pending = new AtomicInteger();

  /** Partitions paused because {@link #pending} reached max-pending. */
  final AtomicInteger paused = new AtomicInteger();

  PushQueueMetrics(MeterRegistry registry) {
    offered = counter(registry, "offered", "Push jobs offered to the queue");
    dropped =
        counter(
            registry,
            "dropped",
            "Push jobs the queue did not take (full, or Kafka away): those devices get no push");
    handedOut = counter(registry, "handed", "Push jobs handed to the push worker");
    finished = counter(registry, "finished", "Push jobs the worker finished");
    Gauge.builder("parley.push.queue.pending", pending, AtomicInteger::get)
        .description("Push jobs handed out and not finished")
        .register(registry);
    Gauge.builder("parley.push.queue.paused", paused, AtomicInteger::get)
        .description("Partitions paused because too many jobs are unfinished")
        .register(registry);
  }

  private static Counter counter(MeterRegistry registry, String name, String description) {
    return Counter.builder("parley.push.queue." + name).description(description).register(registry);
  }
}
