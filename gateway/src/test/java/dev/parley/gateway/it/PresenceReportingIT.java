package dev.parley.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.gateway.codec.Encoding;
import dev.parley.gateway.support.GatewayHarness;
import dev.parley.gateway.support.RecordingPresence;
import dev.parley.gateway.support.TestConfig;
import dev.parley.gateway.support.WsClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gateway tells its presence about authenticated sessions, off the event loops. */
class PresenceReportingIT {
  private static final Duration REFRESH = Duration.ofMillis(100);

  private final RecordingPresence presence = new RecordingPresence();

  private GatewayHarness gateway() {
    return new GatewayHarness(new TestConfig(), presence, REFRESH);
  }

  private static double authenticated(GatewayHarness h) {
    return h.metrics
        .get("parley.gateway.connections")
        .tag("state", "authenticated")
        .gauge()
        .value();
  }

  @Test
  void reportsTheFirstConnectionAndTheLastCloseOfEachSession() {
    try (GatewayHarness h = gateway()) {
      WsClient first = h.login(Encoding.JSON, 1, 11);
      await().until(() -> presence.changes().equals(List.of("connected 1/11")));
      WsClient again = h.login(Encoding.PROTOBUF, 1, 11); // same device, second connection
      WsClient other = h.login(Encoding.JSON, 1, 12);
      await().until(() -> presence.changes().size() == 2);

      first.close();
      // Unregistered, yet the session still has a connection here: nothing to report.
      await().until(() -> authenticated(h) == 2);
      again.close();
      await().until(() -> presence.changes().size() == 3);
      other.close();
      await().until(() -> presence.changes().size() == 4);
      assertThat(presence.changes())
          .containsExactly(
              "connected 1/11", "connected 1/12", "disconnected 1/11", "disconnected 1/12");
    }
    assertThat(presence.threads).containsOnly("parley-presence");
  }

  @Test
  void anUnauthenticatedConnectionIsNotReported() {
    try (GatewayHarness h = gateway()) {
      try (WsClient anonymous = h.connect(Encoding.JSON)) {
        assertThat(anonymous.ping().hasPing()).isTrue();
      }
      try (WsClient known = h.login(Encoding.JSON, 2, 21)) {
        await().until(() -> presence.changes().equals(List.of("connected 2/21")));
      }
    }
    assertThat(presence.changes()).containsExactly("connected 2/21", "disconnected 2/21");
  }

  @Test
  void refreshesWithEverySessionItHolds() {
    try (GatewayHarness h = gateway()) {
      // The first refresh runs at start: it registers the gateway before any connection.
      await().until(() -> presence.lastRefresh().equals("refresh []"));
      try (WsClient a = h.login(Encoding.JSON, 2, 21);
          WsClient b = h.login(Encoding.JSON, 2, 22);
          WsClient b2 = h.login(Encoding.PROTOBUF, 2, 22)) {
        WsClient c = h.login(Encoding.JSON, 3, 31);
        await().until(() -> presence.lastRefresh().equals("refresh [2/21, 2/22, 3/31]"));
        c.close();
        await().until(() -> presence.lastRefresh().equals("refresh [2/21, 2/22]"));
      }
    }
  }

  @Test
  void aStoppingGatewayReportsItsLastDisconnects() {
    GatewayHarness h = gateway();
    h.login(Encoding.JSON, 4, 41);
    h.login(Encoding.JSON, 5, 51);
    await().until(() -> presence.changes().size() == 2);
    h.close(); // the clients are still open: the gateway closes them
    assertThat(presence.changes())
        .containsExactlyInAnyOrder(
            "connected 4/41", "connected 5/51", "disconnected 4/41", "disconnected 5/51");
  }
}
