package dev.parley.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;

/**
 * The admin port of every process, single node and cluster roles alike: /healthz, /readyz and
 * /metrics. Apart from the client port because metrics tell an outsider too much (connection
 * counts, request rates per operation, error reasons, JVM internals), so they are bound to
 * 127.0.0.1 unless the operator chooses otherwise ({@link AdminConfig}). Plain JDK HTTP server:
 * three read-only endpoints need nothing more.
 *
 * <p>A process that hosts the message service also serves {@code /audit/user?id=N}, the sync audit
 * (EXT-8, {@code parley admin audit-user}): only to clients on the loopback interface, whatever the
 * bind address, because its report names a user's conversations and sessions. Operators run the
 * command on the machine (or in the pod) of the process.
 */
public final class AdminServer implements AutoCloseable {
  private final HttpServer server;

  public AdminServer(AdminConfig config, PrometheusMeterRegistry metrics, BooleanSupplier ready) {
    try {
      server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot bind the admin port " + config.host() + ":" + config.port(), e);
    }
    server.createContext("/healthz", ex -> reply(ex, 200, "text/plain", "ok"));
    server.createContext(
        "/readyz",
        ex ->
            reply(
                ex,
                ready.getAsBoolean() ? 200 : 503,
                "text/plain",
                ready.getAsBoolean() ? "ready" : "not ready"));
    server.createContext(
        "/metrics",
        ex -> reply(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().daemon().name("admin-http").unstarted(r)));
    server.start();
  }

  /** Serves the sync audit: {@code audit} turns a user id into the report's text. */
  public void serveAudit(LongFunction<String> audit) {
    server.createContext(
        "/audit/user",
        ex -> {
          if (!ex.getRemoteAddress().getAddress().isLoopbackAddress()) {
            reply(ex, 403, "text/plain", "the audit is served to loopback clients only");
            return;
          }
          String query = ex.getRequestURI().getRawQuery();
          long userId;
          try {
            if (query == null || !query.startsWith("id=")) throw new NumberFormatException();
            userId = Long.parseLong(query.substring(3));
          } catch (NumberFormatException e) {
            reply(ex, 400, "text/plain", "usage: /audit/user?id=<user id>");
            return;
          }
          String report;
          try {
            report = audit.apply(userId);
          } catch (RuntimeException e) {
            reply(ex, 503, "text/plain", "the audit failed: " + e.getMessage());
            return;
          }
          reply(ex, 200, "text/plain; charset=utf-8", report);
        });
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** host:port as bound, for the log line that tells operators (and tests) where to look. */
  public String address() {
    return server.getAddress().getHostString() + ":" + port();
  }

  private static void reply(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (!"GET".equals(ex.getRequestMethod())) {
      ex.sendResponseHeaders(405, -1);
      ex.close();
      return;
    }
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (var out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
