package dev.parley.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.gateway.codec.Encoding;
import dev.parley.gateway.support.GatewayHarness;
import dev.parley.gateway.support.RawConnection;
import dev.parley.gateway.support.TestConfig;
import dev.parley.gateway.support.WsClient;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Clients that try to exhaust the gateway's sockets: by dripping a request head, or by opening many
 * connections that never upgrade. The idle and handshake timeouts are long here (30 s) unless a
 * test is about the latter, so that only the limit under test can close these connections within
 * the waits below.
 */
class ConnectionFloodIT {
  private static final Duration NO_ANSWER = Duration.ofSeconds(10);

  private static TestConfig config() {
    TestConfig config = new TestConfig();
    config.heartbeatInterval = Duration.ofSeconds(10);
    config.idleTimeout = Duration.ofSeconds(30);
    config.handshakeTimeout = Duration.ofSeconds(30);
    return config;
  }

  /**
   * Opens {@code n} connections and returns how many the server closed at once. Which ones is not
   * defined: connections are admitted on several event loops, not in the order they were opened.
   */
  private static long closedAtOnce(GatewayHarness h, int n, List<RawConnection> held) {
    for (int i = 0; i < n; i++) held.add(RawConnection.open(h.gateway.port()));
    // A refusal takes milliseconds; nothing else closes a connection here for 30 s.
    return held.stream().filter(c -> c.closedWithin(Duration.ofMillis(500))).count();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Sends {@code head} one byte every 200 ms (each byte resets the idle timeout) until the server
   * closes the connection or 10 s have passed; returns how long the server took, or null.
   */
  private static Duration dripUntilClosed(RawConnection c, String head) {
    long start = System.nanoTime();
    for (byte b : ascii(head)) {
      if (!c.tryWrite(new byte[] {b}) || c.closedWithin(Duration.ofMillis(200))) {
        return Duration.ofNanos(System.nanoTime() - start);
      }
      if (System.nanoTime() - start > NO_ANSWER.toNanos()) return null;
    }
    return null;
  }

  private static final String DRIPPED_HEAD =
      "Host: 127.0.0.1\r\n" + "X-Padding: " + "a".repeat(200) + "\r\n\r\n";

  @Test
  void aDrippedRequestHeadIsClosedAtTheHandshakeTimeout() {
    TestConfig config = config();
    config.handshakeTimeout = Duration.ofSeconds(1);
    try (GatewayHarness h = new GatewayHarness(config);
        RawConnection c = RawConnection.open(h.gateway.port())) {
      c.write(ascii("GET /ws HTTP/1.1\r\n"));
      Duration took = dripUntilClosed(c, DRIPPED_HEAD);
      assertThat(took).as("closed while dripping").isNotNull();
      // Measured about 1 s (the timeout); the bound leaves room for a loaded machine.
      assertThat(took).isLessThan(Duration.ofSeconds(6));
      assertThat(
              h.metrics
                  .counter("parley.gateway.client.faults", "fault", "handshake-timeout")
                  .count())
          .isEqualTo(1);
    }
  }

  @Test
  void aDrippedSecondKeepAliveRequestIsClosedToo() {
    TestConfig config = config();
    config.handshakeTimeout = Duration.ofSeconds(1);
    try (GatewayHarness h = new GatewayHarness(config);
        RawConnection c = RawConnection.open(h.gateway.port())) {
      c.write(ascii("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
      assertThat(c.readHead()).startsWith("HTTP/1.1 200");
      c.readBody(2); // "ok"
      // Longer than the timeout after the first request: an idle keep-alive connection is fine.
      assertThat(c.closedWithin(Duration.ofMillis(1500))).isFalse();
      c.write(ascii("GET /healthz HTTP/1.1\r\n"));
      assertThat(dripUntilClosed(c, DRIPPED_HEAD)).as("closed while dripping").isNotNull();
    }
  }

  @Test
  void socketsThatNeverUpgradeCountAgainstMaxConnections() {
    TestConfig config = config();
    config.maxConnections = 3;
    List<RawConnection> held = new ArrayList<>();
    try (GatewayHarness h = new GatewayHarness(config)) {
      assertThat(closedAtOnce(h, 4, held)).isEqualTo(1);
      assertThat(refused(h, "max-connections").count()).isEqualTo(1);
      // Slots given back serve the next client.
      held.forEach(RawConnection::close);
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                try (WsClient c = h.connect(Encoding.JSON)) {
                  assertThat(c.ping().hasPing()).isTrue();
                }
              });
    } finally {
      held.forEach(RawConnection::close);
    }
  }

  @Test
  void oneAddressGetsAtMostMaxConnectionsPerIp() {
    TestConfig config = config();
    config.maxConnectionsPerIp = 2;
    List<RawConnection> held = new ArrayList<>();
    try (GatewayHarness h = new GatewayHarness(config)) {
      assertThat(closedAtOnce(h, 3, held)).isEqualTo(1);
      assertThat(refused(h, "max-connections-per-ip").count()).isEqualTo(1);
      assertThat(refused(h, "max-connections").count()).isZero();
    } finally {
      held.forEach(RawConnection::close);
    }
  }

  private static Counter refused(GatewayHarness h, String limit) {
    return h.metrics.counter("parley.gateway.connections.refused", "limit", limit);
  }
}
