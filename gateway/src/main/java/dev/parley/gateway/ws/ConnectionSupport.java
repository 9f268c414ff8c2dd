package dev.parley.gateway.ws;

import dev.parley.gateway.delivery.ConnectionRegistry;
import dev.parley.gateway.metrics.GatewayMetrics;
import dev.parley.gateway.routing.InFlightRequests;
import dev.parley.gateway.routing.Route;
import dev.parley.gateway.routing.UserSessions;
import dev.parley.proto.client.Request.OpCase;
import io.opentelemetry.api.trace.Tracer;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * What every {@link ConnectionHandler} of a gateway shares. All members are thread-safe; one
 * instance per gateway.
 *
 * @param routes the operations forwarded to services
 * @param sessions token validation and session touches
 * @param registry where authenticated connections are found by the event fan-out
 * @param inFlight the gateway-wide count that shutdown waits on
 * @param tracer the spans of requests ({@link RequestTrace}); a no-op one when tracing is off
 */
public record ConnectionSupport(
    Limits limits,
    Map<OpCase, Route> routes,
    UserSessions sessions,
    ConnectionRegistry registry,
    InFlightRequests inFlight,
    GatewayMetrics metrics,
    Closer closer,
    Clock clock,
    Tracer tracer) {

  /** The per-connection timings and limits, from the gateway configuration. */
  public record Limits(
      Duration authTimeout,
      Duration requestTimeout,
      int maxInFlightRequests,
      Duration heartbeatInterval,
      Duration idleTimeout,
      Duration sessionTouchInterval) {}
}
