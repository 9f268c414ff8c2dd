package dev.parley.push.provider;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One provider's meters, under {@code parley.push.provider.}, tagged {@code provider}: outcomes by
 * kind, the latency of a send (from the moment it gets an in-flight slot to its outcome, the
 * provider's round trip including an FCM token refresh), and gauges of the notifications in flight
 * and waiting for a slot. Reasons are not tags (providers invent new ones); they go to the logs.
 */
final class ProviderMetrics {
  private final Map<PushOutcome.Kind, Counter> outcomes = new EnumMap<>(PushOutcome.Kind.class);
  private final Map<PushOutcome.Kind, Timer> latency = new EnumMap<>(PushOutcome.Kind.class);

  ProviderMetrics(
      MeterRegistry registry,
      String provider,
      Supplier<Number> inFlight,
      Supplier<Number> waiting) {
    for (PushOutcome.Kind kind : PushOutcome.Kind.values()) {
      outcomes.put(
          kind,
          Counter.builder("parley.push.provider.outcomes")
              .description("Notifications sent to a push provider, by outcome")
              .tag("provider", provider)
              .tag("outcome", kind.tag())
              .register(registry));
      latency.put(
          kind,
          Timer.builder("parley.push.provider.latency")
              .description("Time from sending a notification to the provider's answer")
              .tag("provider", provider)
              .tag("outcome", kind.tag())
              .publishPercentileHistogram()
              .register(registry));
    }
    // Strong references: the gauges are the only holders of these suppliers (Micrometer keeps
    // weak ones by default, and the gauges would read NaN after the next GC).
    Gauge.builder("parley.push.provider.in.flight", inFlight, s -> s.get().doubleValue())
        .description("Notifications sent to the provider and not yet answered")
        .tag("provider", provider)
        .strongReference(true)
        .register(registry);
    Gauge.builder("parley.push.provider.waiting", waiting, s -> s.get().doubleValue())
        .description("Notifications waiting for an in-flight slot")
        .tag("provider", provider)
        .strongReference(true)
        .register(registry);
  }

  /** An outcome that never reached the provider (refused for overload). */
  void count(PushOutcome outcome) {
    counter(outcome).increment();
  }

  void record(PushOutcome outcome, long nanos) {
    counter(outcome).increment();
    Objects.requireNonNull(latency.get(outcome.kind())).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Every kind has its meters from the constructor on. */
  private Counter counter(PushOutcome outcome) {
    return Objects.requireNonNull(outcomes.get(outcome.kind()));
  }
}
