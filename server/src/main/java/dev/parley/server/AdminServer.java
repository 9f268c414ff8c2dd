package dev.parley.server;

import ch.qos.logback.classic.LoggerContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * The admin port of every process, single node and cluster roles alike: /healthz, /readyz, /metrics
 * and /loggers (log levels at run time). Apart from the client port because metrics tell an
 * outsider too much (connection counts, request rates per operation, error reasons, JVM internals),
 * so they are bound to 127.0.0.1 unless the operator chooses otherwise ({@link AdminConfig}). Plain
 * JDK HTTP server: three read-only endpoints need nothing more.
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
    server.createContext("/loggers", AdminServer::loggers);
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

  /**
   * Serves {@code POST /search/reindex} (parley admin reindex, design.md 14.4) to loopback clients:
   * {@code reindex} starts the rebuild and returns how many conversations it covers.
   */
  public void serveReindex(IntSupplier reindex) {
    server.createContext(
        "/search/reindex",
        ex -> {
          if (!ex.getRemoteAddress().getAddress().isLoopbackAddress()) {
            answer(ex, 403, "reindex is served to loopback clients only");
            return;
          }
          if (!"POST".equals(ex.getRequestMethod())) {
            answer(ex, 405, "usage: POST /search/reindex");
            return;
          }
          int conversations;
          try {
            conversations = reindex.getAsInt();
          } catch (RuntimeException e) {
            answer(ex, 503, "reindex failed: " + e.getMessage());
            return;
          }
          answer(
              ex,
              200,
              "reindex started: "
                  + conversations
                  + " conversations will be indexed again (watch parley_search_indexed_entries_total)");
        });
  }

  /**
   * GET lists the levels set explicitly (root first); POST {@code ?name=LOGGER&level=LEVEL} sets
   * one at run time ({@code level=inherit} removes it), from loopback clients only: levels are
   * operations, and DEBUG on the wrong logger floods the disk. Changes last until the restart.
   */
  private static void loggers(HttpExchange ex) throws IOException {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      reply(ex, 503, "text/plain", "not logging through logback");
      return;
    }
    if ("POST".equals(ex.getRequestMethod())) {
      if (!ex.getRemoteAddress().getAddress().isLoopbackAddress()) {
        answer(ex, 403, "log levels are changed by loopback clients only");
        return;
      }
      Map<String, String> query = query(ex.getRequestURI().getRawQuery());
      String name = query.getOrDefault("name", "");
      String level = query.getOrDefault("level", "");
      if (name.isEmpty() || level.isEmpty()) {
        answer(ex, 400, "usage: POST /loggers?name=<logger or ROOT>&level=<TRACE..OFF|inherit>");
        return;
      }
      ch.qos.logback.classic.Logger logger = context.getLogger(name);
      if (level.equalsIgnoreCase("inherit")) {
        if (name.equalsIgnoreCase(org.slf4j.Logger.ROOT_LOGGER_NAME)) {
          answer(ex, 400, "the root logger has no parent to inherit from");
          return;
        }
        logger.setLevel(null);
      } else {
        try {
          logger.setLevel(LogSetup.level(level));
        } catch (IllegalArgumentException e) {
          answer(ex, 400, String.valueOf(e.getMessage()));
          return;
        }
      }
      LoggerFactory.getLogger(AdminServer.class)
          .info("Log level of {} set to {} through the admin port", name, level);
      answer(ex, 200, logger.getName() + "=" + logger.getEffectiveLevel() + "\n");
      return;
    }
    StringBuilder b = new StringBuilder();
    for (ch.qos.logback.classic.Logger l : context.getLoggerList()) {
      if (l.getLevel() != null) b.append(l.getName()).append('=').append(l.getLevel()).append('\n');
    }
    reply(ex, 200, "text/plain; charset=utf-8", b.toString());
  }

  private static Map<String, String> query(@Nullable String raw) {
    Map<String, String> params = new HashMap<>();
    if (raw == null) return params;
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) continue;
      params.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return params;
  }

  /** A plain-text answer whatever the method (reply() accepts GET only). */
  private static void answer(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(status, bytes.length);
    try (var out = ex.getResponseBody()) {
      out.write(bytes);
    }
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
