package dev.parley.gateway.metrics;

import dev.parley.gateway.codec.Encoding;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * The gateway's meters. Called from every event loop, so everything here is thread-safe: the fixed
 * meters are built once, the tagged ones are cached in concurrent maps (their key sets are small
 * and bounded: ops × reasons, close codes).
 */
public final class GatewayMetrics {
  private final MeterRegistry registry;
  private final Map<Encoding, Counter> framesIn = new EnumMap<>(Encoding.class);
  private final Map<Encoding, Counter> framesOut = new EnumMap<>(Encoding.class);
  private final Map<String, Counter> requests = new ConcurrentHashMap<>();
  private final Map<String, Timer> latency = new ConcurrentHashMap<>();
  private final Map<Integer, Counter> closes = new ConcurrentHashMap<>();
  private final Map<String, Counter> clientFaults = new ConcurrentHashMap<>();
  private final Map<String, Counter> refused = new ConcurrentHashMap<>();

  /**
   * @param accepted TCP connections held, upgraded or not (what the connection limits count)
   * @param open WebSocket connections past the upgrade
   * @param authenticated connections that completed {@code authenticate}
   */
  public GatewayMetrics(
      MeterRegistry registry, IntSupplier accepted, IntSupplier open, IntSupplier authenticated) {
    this.registry = registry;
    Gauge.builder("parley.gateway.connections", accepted::getAsInt)
        .tag("state", "accepted")
        .description("TCP connections, upgraded or not")
        .register(registry);
    Gauge.builder("parley.gateway.connections", open::getAsInt)
        .tag("state", "open")
        .description("WebSocket connections")
        .register(registry);
    Gauge.builder("parley.gateway.connections", authenticated::getAsInt)
        .tag("state", "authenticated")
        .description("WebSocket connections")
        .register(registry);
    for (Encoding e : Encoding.values()) {
      framesIn.put(
          e,
          Counter.builder("parley.gateway.frames.in").tag("encoding", e.tag()).register(registry));
      framesOut.put(
          e,
          Counter.builder("parley.gateway.frames.out").tag("encoding", e.tag()).register(registry));
    }
  }

  public void frameIn(Encoding encoding) {
    Objects.requireNonNull(framesIn.get(encoding)).increment();
  }

  public void frameOut(Encoding encoding) {
    Objects.requireNonNull(framesOut.get(encoding)).increment();
  }

  /** One finished request. {@code outcome} is "ok" or the error reason's name. */
  public void request(String op, String outcome, Duration elapsed) {
    requests
        .computeIfAbsent(
            op + '\n' + outcome,
            k ->
                Counter.builder("parley.gateway.requests")
                    .tag("op", op)
                    .tag("outcome", outcome)
                    .register(registry))
        .increment();
    latency
        .computeIfAbsent(
            op,
            k ->
                Timer.builder("parley.gateway.request.latency")
                    .tag("op", op)
                    .publishPercentileHistogram()
                    .register(registry))
        .record(elapsed);
  }

  /**
   * One client misbehaviour the gateway expects and handles (logged at DEBUG only), by a fixed
   * name: corrupt-frame, dropped-mid-message, handshake-timeout, ...
   */
  public void clientFault(String fault) {
    clientFaults
        .computeIfAbsent(
            fault,
            k -> Counter.builder("parley.gateway.client.faults").tag("fault", k).register(registry))
        .increment();
  }

  /** A socket closed at accept because of a connection limit (the tag names which). */
  public void connectionRefused(String limit) {
    refused
        .computeIfAbsent(
            limit,
            k ->
                Counter.builder("parley.gateway.connections.refused")
                    .tag("limit", k)
                    .register(registry))
        .increment();
  }

  public void close(int code) {
    closes
        .computeIfAbsent(
            code,
            k ->
                Counter.builder("parley.gateway.closes")
                    .tag("code", Integer.toString(k))
                    .register(registry))
        .increment();
  }
}
