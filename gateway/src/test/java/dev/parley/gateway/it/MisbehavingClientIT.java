package dev.parley.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.parley.gateway.support.GatewayHarness;
import dev.parley.gateway.support.RawConnection;
import dev.parley.gateway.support.RawConnection.Frame;
import dev.parley.gateway.support.TestConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * Clients that break the WebSocket protocol, byte by byte: each gets exactly one close frame with
 * the code that names its fault, and the server's log gets no stack trace for it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MisbehavingClientIT {
  private final TestConfig config = new TestConfig();
  private final GatewayHarness h;

  MisbehavingClientIT() {
    config.maxFrameBytes = 4096;
    h = new GatewayHarness(config);
  }

  @AfterAll
  void stop() {
    h.close();
  }

  private static List<Integer> closeCodes(List<Frame> frames) {
    return frames.stream()
        .filter(f -> f.opcode() == RawConnection.OP_CLOSE)
        .map(Frame::closeCode)
        .toList();
  }

  @Test
  void anUnmaskedFrameGetsOneClose1002() {
    try (RawConnection c = RawConnection.webSocket(h.gateway.port())) {
      c.frame(true, RawConnection.OP_TEXT, false, "{}".getBytes(StandardCharsets.UTF_8));
      assertThat(closeCodes(c.framesUntilClosed())).containsExactly(1002);
    }
  }

  @Test
  void aFrameOverTheLimitGetsOneClose1009() {
    try (RawConnection c = RawConnection.webSocket(h.gateway.port())) {
      byte[] big = new byte[config.maxFrameBytes + 1000];
      c.frame(true, RawConnection.OP_TEXT, true, big);
      assertThat(closeCodes(c.framesUntilClosed())).containsExactly(1009);
    }
  }

  @Test
  void aCloseWithAnInvalidCodeIsAnswered1002() {
    try (RawConnection c = RawConnection.webSocket(h.gateway.port())) {
      c.close(999);
      assertThat(closeCodes(c.framesUntilClosed())).containsExactly(1002);
    }
  }

  @Test
  void aValidCloseIsEchoedOnce() {
    try (RawConnection c = RawConnection.webSocket(h.gateway.port())) {
      c.close(1000);
      assertThat(closeCodes(c.framesUntilClosed())).containsExactly(1000);
    }
  }

  @Test
  void aConnectionDroppedMidMessageLogsNoWarningAndCounts() {
    assertThat(
            problemsLoggedWhile(
                "dropped-mid-message",
                () -> {
                  try (RawConnection c = RawConnection.webSocket(h.gateway.port())) {
                    c.frame(false, RawConnection.OP_TEXT, true, ascii("{\"requestId\":"));
                    c.reset();
                  }
                }))
        .isEmpty();
  }

  @Test
  void anHttpRequestDroppedMidBodyLogsNoWarningAndCounts() {
    assertThat(
            problemsLoggedWhile(
                "dropped-mid-request",
                () -> {
                  try (RawConnection c = RawConnection.open(h.gateway.port())) {
                    c.write(
                        ascii(
                            "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\""));
                    c.reset();
                  }
                }))
        .isEmpty();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Runs {@code misbehave}, waits until the gateway has counted {@code fault}, and returns what was
   * logged meanwhile at WARN or above, or with a stack trace.
   */
  private List<String> problemsLoggedWhile(String fault, Runnable misbehave) {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    root.addAppender(logged);
    try {
      double before = faults(fault);
      misbehave.run();
      await().atMost(Duration.ofSeconds(5)).until(() -> faults(fault) > before);
      // Give any late log line from the closing channel time to appear before looking.
      await().pollDelay(Duration.ofMillis(300)).until(() -> true);
      return logged.list.stream()
          .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN) || e.getThrowableProxy() != null)
          .map(e -> e.getLevel() + " " + e.getFormattedMessage())
          .toList();
    } finally {
      root.detachAppender(logged);
    }
  }

  private double faults(String fault) {
    var counter = h.metrics.find("parley.gateway.client.faults").tag("fault", fault).counter();
    return counter == null ? 0 : counter.count();
  }
}
