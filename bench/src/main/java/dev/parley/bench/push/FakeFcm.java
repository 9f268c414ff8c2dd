package dev.parley.bench.push;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * FCM's two endpoints as the push role uses them: {@code POST /token} (the service account's
 * token_uri; any grant gets a one-hour access token) and {@code POST
 * /v1/projects/{project}/messages:send}, which accepts every well-formed message, after an optional
 * delay standing in for Google's own latency, and reports it to a listener.
 *
 * <p>It does not verify the grant's signature or the bearer token: the push module's tests do that
 * against the real protocol; here the point is to measure the server, so the fake must cost little.
 */
public final class FakeFcm implements AutoCloseable {
  /** One accepted message: the device token and the data map, stamped when it arrived. */
  public record Arrival(String token, Map<String, String> data, long arrivedAtMs) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Duration delay;
  private final Consumer<Arrival> listener;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private final AtomicLong tokensIssued = new AtomicLong();

  public FakeFcm(int port, Duration delay, Consumer<Arrival> listener) {
    this.delay = delay;
    this.listener = listener;
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
    }
    server.setExecutor(executor);
    server.createContext("/token", this::token);
    server.createContext("/v1/projects/", this::send);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public long accepted() {
    return accepted.get();
  }

  public long malformed() {
    return malformed.get();
  }

  public long tokensIssued() {
    return tokensIssued.get();
  }

  private void token(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      tokensIssued.incrementAndGet();
      String access = "bench-access-" + tokensIssued.get();
      reply(
          exchange,
          200,
          "{\"access_token\":\"" + access + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
    }
  }

  private void send(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      if (!"POST".equals(exchange.getRequestMethod())
          || !exchange.getRequestURI().getPath().endsWith("/messages:send")) {
        reply(exchange, 404, "{\"error\":{\"code\":404,\"status\":\"NOT_FOUND\"}}");
        return;
      }
      Arrival arrival = parse(new String(body, StandardCharsets.UTF_8));
      if (arrival == null) {
        malformed.incrementAndGet();
        reply(exchange, 400, "{\"error\":{\"code\":400,\"status\":\"INVALID_ARGUMENT\"}}");
        return;
      }
      if (!delay.isZero()) pause();
      long n = accepted.incrementAndGet();
      listener.accept(arrival);
      reply(exchange, 200, "{\"name\":\"projects/bench/messages/" + n + "\"}");
    }
  }

  private void pause() {
    try {
      Thread.sleep(delay); // the provider's own latency, on the request's virtual thread
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static @org.jspecify.annotations.Nullable Arrival parse(String json) {
    try {
      JsonObject message =
          JsonParser.parseString(json).getAsJsonObject().getAsJsonObject("message");
      if (message == null || !message.has("token")) return null;
      Map<String, String> data = new HashMap<>();
      JsonObject d = message.getAsJsonObject("data");
      if (d != null) {
        for (Map.Entry<String, JsonElement> e : d.entrySet()) {
          data.put(e.getKey(), e.getValue().getAsString());
        }
      }
      return new Arrival(message.get("token").getAsString(), data, System.currentTimeMillis());
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static void reply(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
