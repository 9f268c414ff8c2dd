package dev.parley.user.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.parley.user.UserConfig;
import dev.parley.user.auth.Identifier;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP SMS sender against a local HTTP server standing in for the provider. */
class HttpSmsCodeSenderIT {
  record Received(
      String method, String contentType, String authorization, String upgrade, String body) {}

  private HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger status = new AtomicInteger(202);

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/sms",
        exchange -> {
          received.add(
              new Received(
                  exchange.getRequestMethod(),
                  exchange.getRequestHeaders().getFirst("Content-Type"),
                  exchange.getRequestHeaders().getFirst("Authorization"),
                  exchange.getRequestHeaders().getFirst("Upgrade"),
                  new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
          exchange.sendResponseHeaders(status.get(), -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private HttpSmsCodeSender sender(String contentType, String template) {
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/sms";
    return new HttpSmsCodeSender(
        new UserConfig.Sms(
            "http",
            new UserConfig.Http(
                url,
                Map.of("Authorization", "Bearer test-key"),
                contentType,
                template,
                Duration.ofSeconds(5),
                "http/1.1"),
            "Your Parley code is {code}. It expires in {minutes} minutes."));
  }

  private static CodeMessage message() {
    return new CodeMessage(
        Identifier.phone("+49 151 1234 5678", "identifier"),
        "654321",
        Duration.ofMinutes(5),
        Instant.now().plusSeconds(300));
  }

  @Test
  void postsJsonWithPhoneAndText() throws Exception {
    try (HttpSmsCodeSender sender =
        sender("application/json", "{\"to\":\"{phone}\",\"text\":\"{text}\"}")) {
      sender.send(message());
    }
    assertThat(received).hasSize(1);
    Received r = received.getFirst();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.contentType()).isEqualTo("application/json");
    assertThat(r.authorization()).isEqualTo("Bearer test-key");
    // Issue 9 item 15: the JDK's default asked this plain-HTTP provider to upgrade to h2c.
    assertThat(r.upgrade()).isNull();
    assertThat(r.body())
        .isEqualTo(
            "{\"to\":\"+4915112345678\",\"text\":\"Your Parley code is 654321. It expires in 5 minutes.\"}");
  }

  @Test
  void urlEncodesForForms() throws Exception {
    try (HttpSmsCodeSender sender =
        sender("application/x-www-form-urlencoded", "To={phone}&Body={text}")) {
      sender.send(message());
    }
    String body = received.getFirst().body();
    assertThat(body).startsWith("To=%2B4915112345678&Body=");
    assertThat(URLDecoder.decode(body.substring(body.indexOf("Body=") + 5), StandardCharsets.UTF_8))
        .isEqualTo("Your Parley code is 654321. It expires in 5 minutes.");
  }

  @Test
  void jsonEscapesTheText() {
    HttpSmsCodeSender sender =
        new HttpSmsCodeSender(
            new UserConfig.Sms(
                "http",
                new UserConfig.Http(
                    "http://127.0.0.1:1/",
                    Map.of(),
                    "application/json; charset=utf-8",
                    "{\"text\":\"{text}\"}",
                    Duration.ofSeconds(1),
                    "http/1.1"),
                "Code \"{code}\"\n\\ {phone}"));
    assertThat(sender.body(message()))
        .isEqualTo("{\"text\":\"Code \\\"654321\\\"\\n\\\\ {phone}\"}");
    sender.close();
  }

  @Test
  void nonSuccessStatusIsAFailure() {
    status.set(500);
    try (HttpSmsCodeSender sender = sender("application/json", "{\"to\":\"{phone}\"}")) {
      assertThatThrownBy(() -> sender.send(message()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("500");
    }
  }
}
