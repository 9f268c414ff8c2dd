package dev.parley.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthCheckTest {

  private HttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/readyz",
        exchange -> {
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.createContext(
        "/draining",
        exchange -> {
          exchange.sendResponseHeaders(503, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void reportsTheStatusOfTheEndpoint() {
    assertThat(HealthCheck.status(base() + "/readyz")).isEqualTo(200);
    assertThat(HealthCheck.status(base() + "/draining")).isEqualTo(503);
  }

  @Test
  void reportsMinusOneWhenNothingListens() {
    int port = server.getAddress().getPort();
    server.stop(0);
    assertThat(HealthCheck.status("http://127.0.0.1:" + port + "/readyz")).isEqualTo(-1);
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }
}
