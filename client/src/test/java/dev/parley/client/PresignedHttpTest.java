package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.parley.proto.client.PresignedRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link PresignedHttp} retries and what it gives up on, against a local HTTP server that
 * stands in for the file store and answers with scripted statuses.
 */
class PresignedHttpTest {
  private static final TransferSettings FAST =
      new TransferSettings(3, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(10));

  private HttpServer server;
  private final Deque<Integer> statuses = new ArrayDeque<>();
  private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
  private final HttpClient client = HttpClient.newHttpClient();
  private final PresignedHttp http = new PresignedHttp(client, FAST);
  private final byte[] content = "the bytes of the file".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          seen.add(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI().getPath()
                  + " "
                  + exchange.getRequestHeaders().getFirst("Content-Type")
                  + " "
                  + body.length);
          Integer status = statuses.poll();
          int code = status == null ? 200 : status;
          byte[] answer =
              code == 200 && exchange.getRequestMethod().equals("GET") ? content : new byte[0];
          exchange.sendResponseHeaders(code, answer.length == 0 ? -1 : answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    client.close();
  }

  private PresignedRequest request(String method, String path) {
    return PresignedRequest.newBuilder()
        .setMethod(method)
        .setUrl("http://127.0.0.1:" + server.getAddress().getPort() + path)
        .putHeaders("content-type", "image/jpeg")
        .build();
  }

  @Test
  void transientStatusesAreRetriedWithTheSignedHeaders() {
    statuses.add(503);
    statuses.add(500);
    AtomicLong sent = new AtomicLong();

    http.upload(request("PUT", "/u/1"), () -> request("PUT", "/fresh"), content, sent::set);

    assertThat(seen)
        .containsExactly(
            "PUT /u/1 image/jpeg 21", "PUT /u/1 image/jpeg 21", "PUT /u/1 image/jpeg 21");
    assertThat(sent.get()).isEqualTo(content.length);
  }

  @Test
  void givesUpAfterTheAttempts() {
    statuses.addAll(List.of(503, 503, 503, 200));

    assertThatThrownBy(
            () ->
                http.upload(
                    request("PUT", "/u/1"), () -> request("PUT", "/fresh"), content, n -> {}))
        .isInstanceOf(TransferException.class)
        .satisfies(e -> assertThat(((TransferException) e).status()).isEqualTo(503));
    assertThat(seen).hasSize(3);
  }

  @Test
  void aForbiddenUrlIsReplacedOnceByAFreshOne() {
    statuses.add(403);

    http.upload(request("PUT", "/u/1"), () -> request("PUT", "/fresh"), content, n -> {});

    assertThat(seen).containsExactly("PUT /u/1 image/jpeg 21", "PUT /fresh image/jpeg 21");
  }

  @Test
  void aClientErrorIsNotRetried() {
    statuses.add(400);

    assertThatThrownBy(
            () ->
                http.upload(
                    request("PUT", "/u/1"), () -> request("PUT", "/fresh"), content, n -> {}))
        .isInstanceOf(TransferException.class);
    assertThat(seen).hasSize(1);
  }

  @Test
  void downloadLandsOnlyWhenEveryByteArrived() throws IOException {
    statuses.add(502);
    Path target = dir.resolve("file.jpg");

    http.download(
        request("GET", "/u/1"), () -> request("GET", "/fresh"), target, content.length, n -> {});

    assertThat(Files.readAllBytes(target)).isEqualTo(content);
    assertThatThrownBy(
            () ->
                http.download(
                    request("GET", "/u/1"),
                    () -> request("GET", "/fresh"),
                    dir.resolve("other.jpg"),
                    content.length + 1,
                    n -> {}))
        .isInstanceOf(TransferException.class)
        .hasMessageContaining("expected 22 bytes, received 21");
    try (var listing = Files.list(dir)) {
      assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("file.jpg");
    }
  }
}
