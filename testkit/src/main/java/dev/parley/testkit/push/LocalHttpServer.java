package dev.parley.testkit.push;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * A real HTTP server on 127.0.0.1 (JDK's com.sun.net.httpserver) playing a push service, an FCM
 * endpoint or an OAuth token endpoint in tests; https when given a TLS context. Each path has a
 * {@link Route} that sees the request and answers; every request is recorded.
 */
public final class LocalHttpServer implements AutoCloseable {
  /** A request as received. */
  public record Request(String method, String path, Headers headers, byte[] body) {
    public String header(String name) {
      String value = headers.getFirst(name);
      return value == null ? "" : value;
    }

    public String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** An answer. */
  public record Response(int status, Map<String, String> headers, byte[] body) {
    public static Response of(int status) {
      return new Response(status, Map.of(), new byte[0]);
    }

    public static Response json(int status, String json) {
      return new Response(
          status,
          Map.of("Content-Type", "application/json"),
          json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public Response withHeader(String name, String value) {
      var all = new java.util.HashMap<>(headers);
      all.put(name, value);
      return new Response(status, Map.copyOf(all), body);
    }
  }

  /** Handles the requests of one path. */
  @FunctionalInterface
  public interface Route {
    Response answer(Request request) throws Exception;
  }

  private final HttpServer server;
  private final String scheme;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();

  /** Plain http. */
  public LocalHttpServer() {
    this(null);
  }

  /**
   * @param tls the certificate to present (https), e.g. {@code TestCertificates.serverContext()};
   *     null: plain http
   */
  public LocalHttpServer(@Nullable SSLContext tls) {
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", 0);
    try {
      if (tls == null) {
        server = HttpServer.create(address, 0);
      } else {
        HttpsServer https = HttpsServer.create(address, 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        server = https;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    scheme = tls == null ? "http" : "https";
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  public LocalHttpServer route(String path, Route route) {
    server.createContext(path, exchange -> handle(exchange, route));
    return this;
  }

  public URI uri(String path) {
    return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  /** Every request so far, in arrival order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The requests to one path. */
  public List<Request> requests(String path) {
    return requests.stream().filter(r -> r.path().equals(path)).toList();
  }

  private void handle(HttpExchange exchange, Route route) throws IOException {
    try (exchange) {
      Request request =
          new Request(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getPath(),
              exchange.getRequestHeaders(),
              exchange.getRequestBody().readAllBytes());
      requests.add(request);
      Response response;
      try {
        response = route.answer(request);
      } catch (Exception | AssertionError e) {
        // A failed check in a route: answer 599 so the test sees it in the outcome, and keep it.
        response = Response.json(599, "{\"test-failure\":\"" + e + "\"}");
        failures.add(e);
      }
      response.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      exchange.sendResponseHeaders(
          response.status(), response.body().length == 0 ? -1 : response.body().length);
      if (response.body().length > 0) exchange.getResponseBody().write(response.body());
    }
  }

  /** The checks that failed inside routes (a test asserts this is empty). */
  public List<Throwable> failures() {
    return List.copyOf(failures);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
