package dev.parley.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.parley.common.bus.LocalDeliveryBus;
import dev.parley.gateway.Gateway;
import dev.parley.gateway.ServiceChannels;
import dev.parley.gateway.codec.Encoding;
import dev.parley.gateway.support.GatewayHarness;
import dev.parley.gateway.support.TestConfig;
import dev.parley.gateway.support.WsClient;
import dev.parley.proto.client.AuthenticateRequest;
import dev.parley.proto.client.Event;
import dev.parley.proto.client.GetProfilesRequest;
import dev.parley.proto.client.Profile;
import dev.parley.proto.client.ProfileUpdated;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.Response;
import dev.parley.proto.internal.Delivery;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Behaviour that needs its own gateway configuration: timeouts, limits, origins, shutdown, TLS. */
class LifecycleIT {

  @Test
  void silentConnectionIsClosedAfterIdleTimeout() {
    TestConfig config = new TestConfig();
    config.heartbeatInterval =
        Duration.ofSeconds(30); // no pings, so nothing makes the client answer
    config.idleTimeout = Duration.ofMillis(400);
    try (GatewayHarness h = new GatewayHarness(config);
        WsClient c = h.login(Encoding.JSON, 1, 11)) {
      assertThat(c.awaitClose()).isEqualTo(new WsClient.Close(1001, "idle timeout"));
    }
  }

  @Test
  void heartbeatPingsKeepAnAnsweringClientConnected() {
    TestConfig config = new TestConfig();
    config.heartbeatInterval = Duration.ofMillis(100);
    config.idleTimeout = Duration.ofMillis(500);
    try (GatewayHarness h = new GatewayHarness(config);
        WsClient c = h.login(Encoding.PROTOBUF, 1, 11)) {
      // The JDK client answers each ping with a pong; that inbound traffic resets the idle timer.
      await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(c::isOpen);
      assertThat(c.ping().hasPing()).isTrue();
    }
  }

  @Test
  void originsAreCheckedBeforeTheHandshake() {
    try (GatewayHarness h = new GatewayHarness(new TestConfig())) {
      assertThat(
              handshakeStatus(
                  () ->
                      WsClient.connect(
                          h.http, h.ws(), Encoding.JSON, Map.of("Origin", "https://evil.example"))))
          .isEqualTo(403);
      String sameHost = "http://127.0.0.1:" + h.gateway.port();
      try (WsClient c =
          WsClient.connect(h.http, h.ws(), Encoding.JSON, Map.of("Origin", sameHost))) {
        assertThat(c.ping().hasPing()).isTrue();
      }
    }
    TestConfig listed = new TestConfig();
    listed.allowedOrigins = List.of("https://app.example.com");
    try (GatewayHarness h = new GatewayHarness(listed);
        WsClient c =
            WsClient.connect(
                h.http, h.ws(), Encoding.JSON, Map.of("Origin", "https://app.example.com"))) {
      assertThat(c.ping().hasPing()).isTrue();
    }
  }

  @Test
  void aClientThatStopsReadingIsClosedWith4003() {
    TestConfig config = new TestConfig();
    config.outboundHighWaterBytes = 64 * 1024;
    config.outboundLimitBytes = 256 * 1024;
    try (GatewayHarness h = new GatewayHarness(config);
        WsClient slow = WsClient.connect(h.http, h.ws(), Encoding.PROTOBUF, Map.of(), false);
        WsClient fine = h.login(Encoding.JSON, 2, 21)) {
      slow.send(
          Request.newBuilder()
              .setRequestId(1)
              .setAuthenticate(AuthenticateRequest.newBuilder().setAccessToken("good-1-11"))
              .build());
      assertThat(slow.nextResponse().hasAuthenticate()).isTrue(); // the one message it reads
      Delivery big =
          Delivery.newBuilder()
              .addUserIds(1)
              .setEvent(
                  Event.newBuilder()
                      .setProfileUpdated(
                          ProfileUpdated.newBuilder()
                              .setProfile(Profile.newBuilder().setDisplayName("x".repeat(4000)))))
              .build();
      Counter closes4003 = h.metrics.counter("parley.gateway.closes", "code", "4003");
      // Socket buffers absorb several megabytes before the gateway's own queue starts to grow.
      for (int i = 0; i < 20_000 && closes4003.count() == 0; i++) h.bus.publish(big);
      await().until(() -> closes4003.count() == 1);
      await()
          .until(
              () ->
                  h.metrics
                          .get("parley.gateway.connections")
                          .tag("state", "authenticated")
                          .gauge()
                          .value()
                      == 1);
      assertThat(fine.ping().hasPing()).isTrue();
    }
  }

  @Test
  void gracefulShutdownSendsGoAwayAndDrainsCallsInFlight() {
    TestConfig config = new TestConfig();
    try (GatewayHarness h = new GatewayHarness(config);
        WsClient idle = h.login(Encoding.JSON, 1, 11);
        WsClient busy = h.login(Encoding.PROTOBUF, 2, 21)) {
      h.users.holdGetProfiles = true;
      busy.send(
          Request.newBuilder()
              .setRequestId(7)
              .setGetProfiles(GetProfilesRequest.newBuilder().addUserIds(1))
              .build());
      await().until(() -> h.users.held.size() == 1);

      CompletableFuture<Void> shutdown =
          CompletableFuture.runAsync(() -> h.gateway.shutdown(Duration.ofSeconds(5)));

      Event goAway = idle.nextEvent();
      assertThat(goAway.getGoAway().getReconnectAfterMs()).isBetween(1000, 5000);
      assertThat(idle.awaitClose().code()).isEqualTo(1001);

      assertThat(busy.nextEvent().hasGoAway()).isTrue();
      assertThat(busy.isOpen()).isTrue(); // still owes an answer
      h.users.releaseHeld();
      Response answer = busy.nextResponse();
      assertThat(answer.getRequestId()).isEqualTo(7);
      assertThat(answer.hasGetProfiles()).isTrue();
      assertThat(busy.awaitClose().code()).isEqualTo(1001);
      shutdown.orTimeout(10, TimeUnit.SECONDS).join();
    }
  }

  @Test
  void tlsWithASelfSignedCertificate() {
    TestConfig config = new TestConfig();
    config.tls = true;
    try (GatewayHarness h = new GatewayHarness(config)) {
      assertThat(h.gateway.tlsPort()).isPositive().isNotEqualTo(h.gateway.port());
      HttpResponse<String> health =
          h.send(
              HttpRequest.newBuilder(
                      URI.create("https://127.0.0.1:" + h.gateway.tlsPort() + "/healthz"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).isEqualTo("ok");

      URI wss = URI.create("wss://127.0.0.1:" + h.gateway.tlsPort() + "/ws");
      try (WsClient c = WsClient.connect(h.http, wss, Encoding.PROTOBUF)) {
        assertThat(c.authenticate("good-1-11").getAuthenticate().getUserId()).isEqualTo(1);
      }
    }
  }

  @Test
  void tlsIsOffByDefaultAndABusyPortFailsStart() {
    try (GatewayHarness h = new GatewayHarness(new TestConfig())) {
      assertThat(h.gateway.tlsPort()).isEqualTo(-1);
      TestConfig clash = new TestConfig();
      clash.port = h.gateway.port();
      ManagedChannel unused = InProcessChannelBuilder.forName("nowhere").build();
      Gateway second =
          new Gateway(
              clash.build(),
              new ServiceChannels(unused, unused),
              new LocalDeliveryBus(),
              new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
              () -> true,
              Clock.systemUTC());
      try {
        assertThatThrownBy(second::start)
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("Cannot bind");
      } finally {
        second.close();
        unused.shutdownNow();
      }
      assertThat(h.get("/healthz").statusCode()).isEqualTo(200);
    }
  }

  /** The HTTP status with which the server refused a WebSocket handshake. */
  private static int handshakeStatus(Runnable connect) {
    Throwable thrown = catchThrowable(connect::run);
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof WebSocketHandshakeException e) return e.getResponse().statusCode();
    }
    throw new AssertionError("Expected a refused handshake", thrown);
  }
}
