package dev.parley.push.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The push workers' meters (operations.md, "Push notifications"): jobs by kind, notifications by
 * provider and result, the latency from the event's commit to the provider's acceptance, the pushes
 * waiting for a retry, and coalesced alerts. The providers' own meters ({@code
 * parley.push.provider.*}) count every attempt; these count each notification once, by how it
 * ended.
 */
final class PushMetrics {
  private final MeterRegistry registry;
  final Counter coalesced;
  final Counter lookupFailures;
  final AtomicInteger pending = new AtomicInteger();

  PushMetrics(MeterRegistry registry) {
    this.registry = registry;
    coalesced =
        Counter.builder("parley.push.coalesced")
            .description("Alerts merged into a later one of the same session and conversation")
            .register(registry);
    lookupFailures =
        Counter.builder("parley.push.lookup.failures")
            .description("Jobs whose targets or settings could not be read (retried)")
            .register(registry);
    Gauge.builder("parley.push.pending", pending, AtomicInteger::get)
        .description("Notifications waiting for a retry")
        .register(registry);
  }

  /** A job taken from the queue; kind {@code none} when it notifies no one. */
  void job(String kind) {
    Counter.builder("parley.push.jobs")
        .description("Push jobs taken from the queue, by kind")
        .tag("kind", kind)
        .register(registry)
        .increment();
  }

  /**
   * How one notification ended: {@code delivered}, {@code invalid}, {@code permanent}, {@code
   * expired}, {@code dropped} (too many waiting for a retry), {@code unconfigured}.
   */
  void notification(String provider, String result) {
    Counter.builder("parley.push.notifications")
        .description("Notifications by provider and how they ended")
        .tag("provider", provider)
        .tag("result", result)
        .register(registry)
        .increment();
  }

  /** From the event's commit to the provider's acceptance. */
  void accepted(String provider, Duration sinceCommit) {
    Timer.builder("parley.push.delivery.latency")
        .description("From the event's commit to the provider's acceptance of its notification")
        .tag("provider", provider)
        .publishPercentileHistogram()
        .register(registry)
        .record(sinceCommit.isNegative() ? Duration.ZERO : sinceCommit);
  }
}
