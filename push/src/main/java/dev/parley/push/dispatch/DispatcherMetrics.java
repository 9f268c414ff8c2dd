package dev.parley.push.dispatch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** The dispatcher's meters, all under {@code parley.dispatcher.}. */
final class DispatcherMetrics {
  private final MeterRegistry registry;
  final Counter consumed;
  final Counter handed;
  final Counter pushed;
  final Counter unknownPresence;
  final Counter malformed;
  final Counter presenceFailures;
  final Counter commitFailures;
  final Counter pollFailures;
  final Timer batch;

  DispatcherMetrics(MeterRegistry registry) {
    this.registry = registry;
    consumed = counter("parley.dispatcher.consumed", "Deliveries read from Kafka");
    handed =
        counter(
            "parley.dispatcher.handed",
            "Deliveries handed to gateways (one per gateway concerned)");
    pushed =
        counter(
            "parley.dispatcher.pushed",
            "Deliveries with an event handed to push, with their recipients' connected sessions");
    unknownPresence =
        counter(
            "parley.dispatcher.unknown.presence",
            "Deliveries for recipients missing from presence while it was being rebuilt, sent to the gateways it had lost");
    malformed =
        counter(
            "parley.dispatcher.malformed",
            "Records skipped: not a Delivery, or user_pts not paired with user_ids");
    presenceFailures =
        counter(
            "parley.dispatcher.presence.failures",
            "Batches not routed because the presence lookup failed");
    commitFailures =
        counter(
            "parley.dispatcher.commit.failures",
            "Offset commits that failed (the batch may be replayed)");
    pollFailures = counter("parley.dispatcher.poll.failures", "Polls that failed with an error");
    batch =
        Timer.builder("parley.dispatcher.batch")
            .description("Time to route and hand over one poll batch")
            .publishPercentileHistogram()
            .register(registry);
  }

  /**
   * A gateway that did not take its deliveries; reason is a gRPC status code, "unknown" or
   * "paused".
   */
  void gatewayFailure(String reason) {
    Counter.builder("parley.dispatcher.gateway.failures")
        .description(
            "Deliver calls to gateways that failed or were skipped (their devices catch up by sync)")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }
}
