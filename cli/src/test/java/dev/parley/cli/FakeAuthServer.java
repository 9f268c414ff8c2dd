package dev.parley.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.parley.client.Encoding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP half of a Parley server, canned: answers {@code POST /api/v1/auth/*} with whatever a
 * test set for the path, in JSON, and records every request. Requests are recorded before the
 * answer goes out, so a test that ran a command can read them at once.
 */
final class FakeAuthServer implements AutoCloseable {
  record Call(String path, String contentType, byte[] body) {
    <T extends Message> T decode(T prototype) {
      try {
        @SuppressWarnings("unchecked")
        T decoded =
            (T)
                Encoding.forContentType(contentType)
                    .orElseThrow()
                    .merge(body, prototype.newBuilderForType())
                    .build();
        return decoded;
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError("undecodable request to " + path, e);
      }
    }
  }

  private record Answer(int status, Message body) {}

  private final HttpServer server;
  private final List<Call> calls = new ArrayList<>(); // guarded by this
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();

  FakeAuthServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/api/v1/auth/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * Answers POSTs to {@code path} (e.g. "/api/v1/auth/login") with {@code body} and {@code status}.
   */
  void answer(String path, int status, Message body) {
    answers.put(path, new Answer(status, body));
  }

  synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The last request to {@code path}, decoded like {@code prototype}. */
  synchronized <T extends Message> T lastRequest(String path, T prototype) {
    for (int i = calls.size() - 1; i >= 0; i--) {
      if (calls.get(i).path().equals(path)) {
        return calls.get(i).decode(prototype);
      }
    }
    throw new AssertionError("no request to " + path + "; got " + calls);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      synchronized (this) {
        calls.add(
            new Call(
                path,
                exchange.getRequestHeaders().getFirst("Content-Type"),
                exchange.getRequestBody().readAllBytes()));
      }
      Answer answer = answers.get(path);
      if (answer == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      byte[] body = Encoding.JSON.toBytes(answer.body());
      exchange.getResponseHeaders().set("Content-Type", Encoding.JSON.contentType());
      exchange.sendResponseHeaders(answer.status(), body.length);
      exchange.getResponseBody().write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
