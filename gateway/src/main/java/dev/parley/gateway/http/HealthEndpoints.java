package dev.parley.gateway.http;

import static com.google.common.util.concurrent.Futures.immediateFuture;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code /healthz} (the process is alive), {@code /readyz} (it should get traffic), {@code
 * /metrics}.
 */
public final class HealthEndpoints {
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private HealthEndpoints() {}

  /**
   * @param ready false while starting, while a dependency is down, and while shutting down
   */
  public static Map<String, HttpRoute> routes(
      BooleanSupplier ready, PrometheusMeterRegistry metrics) {
    return Map.of(
        "/healthz",
        new HttpRoute(
            HttpMethod.GET,
            (req, ip) -> immediateFuture(HttpReply.text(HttpResponseStatus.OK, "ok"))),
        "/readyz",
        new HttpRoute(
            HttpMethod.GET,
            (req, ip) ->
                immediateFuture(
                    ready.getAsBoolean()
                        ? HttpReply.text(HttpResponseStatus.OK, "ready")
                        : HttpReply.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "not ready"))),
        "/metrics",
        new HttpRoute(
            HttpMethod.GET,
            (req, ip) ->
                immediateFuture(
                    new HttpReply(
                        HttpResponseStatus.OK,
                        PROMETHEUS_TEXT,
                        metrics.scrape().getBytes(StandardCharsets.UTF_8)))));
  }
}
