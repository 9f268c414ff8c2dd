package dev.parley.gateway.http;

import static com.google.common.util.concurrent.Futures.immediateFuture;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code /healthz} (the process is alive) and {@code /readyz} (it should get traffic) on the client
 * port, for load balancers. {@code /metrics} is not here: it tells outsiders too much, so the
 * process serves it on its admin port only.
 */
public final class HealthEndpoints {
  private HealthEndpoints() {}

  /**
   * @param ready false while starting, while a dependency is down, and while shutting down
   */
  public static Map<String, HttpRoute> routes(BooleanSupplier ready) {
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
                        : HttpReply.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "not ready"))));
  }
}
