package dev.parley.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.common.grpc.CallContext;
import dev.parley.gateway.codec.Encoding;
import dev.parley.gateway.support.FakeUserService.Seen;
import dev.parley.gateway.support.GatewayHarness;
import dev.parley.gateway.support.TestConfig;
import dev.parley.gateway.support.WsClient;
import dev.parley.proto.client.AuthenticateRequest;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.GetAccountRequest;
import dev.parley.proto.client.GetProfilesRequest;
import dev.parley.proto.client.ListSessionsRequest;
import dev.parley.proto.client.LogoutRequest;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The WebSocket protocol end to end, in both encodings, against one running gateway. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebSocketIT {
  private final TestConfig config = new TestConfig();
  private final GatewayHarness h;

  WebSocketIT() {
    config.authTimeout = Duration.ofMillis(1500);
    config.sessionTouchInterval = Duration.ofMillis(500);
    h = new GatewayHarness(config);
  }

  @AfterEach
  void resetFake() {
    h.users.holdGetProfiles = false;
    h.users.releaseHeld();
  }

  @AfterAll
  void stop() {
    h.close();
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void negotiatesTheSubprotocolAndAuthenticates(Encoding encoding) {
    try (WsClient c = h.connect(encoding)) {
      assertThat(c.subprotocol()).isEqualTo(encoding.subprotocol());
      Response r = c.authenticate("good-5-55");
      assertThat(r.getAuthenticate().getUserId()).isEqualTo(5);
      assertThat(r.getAuthenticate().getSessionId()).isEqualTo(55);
      assertThat(r.getAuthenticate().getServerTimeMs()).isPositive();
      assertThat(r.getAuthenticate().getHeartbeatIntervalMs()).isEqualTo(200);
      assertThat(r.getAuthenticate().getIdleTimeoutMs()).isEqualTo(3000);
      // Authenticate itself records the session's activity from the client's address (no
      // TouchSession then); the periodic touches follow.
      assertThat(h.users.calls("authenticate").stream().map(s -> s.caller().clientIp()))
          .contains("127.0.0.1");
      await()
          .until(
              () ->
                  h.users.calls("touchSession").stream()
                      .anyMatch(s -> s.caller().sessionId() == 55));
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void badTokenGetsUnauthenticatedThenClose4001(Encoding encoding) {
    try (WsClient c = h.connect(encoding)) {
      Response r =
          c.call(
              Request.newBuilder()
                  .setAuthenticate(AuthenticateRequest.newBuilder().setAccessToken("bad")));
      assertThat(r.getError().getReason()).isEqualTo(Reason.UNAUTHENTICATED);
      assertThat(r.getError().getCode()).isEqualTo(401);
      assertThat(c.awaitClose().code()).isEqualTo(4001);
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void silenceAfterConnectClosesWith4001(Encoding encoding) {
    try (WsClient c = h.connect(encoding)) {
      assertThat(c.awaitClose()).isEqualTo(new WsClient.Close(4001, "authentication timeout"));
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void beforeAuthenticationOnlyPingIsServed(Encoding encoding) {
    try (WsClient c = h.connect(encoding)) {
      assertThat(c.ping().getPing().getServerTimeMs()).isPositive();
      Response r =
          c.call(Request.newBuilder().setGetAccount(GetAccountRequest.getDefaultInstance()));
      assertThat(r.getError().getReason()).isEqualTo(Reason.UNAUTHENTICATED);
      assertThat(c.isOpen()).isTrue();
      c.authenticate("good-1-10");
      assertThat(
              c.call(Request.newBuilder().setGetAccount(GetAccountRequest.getDefaultInstance()))
                  .hasGetAccount())
          .isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void routesRequestsWithTheCallersContext(Encoding encoding) {
    try (WsClient c = h.login(encoding, 42, 420)) {
      Response account =
          c.call(
              Request.newBuilder()
                  .setRequestId(77)
                  .setGetAccount(GetAccountRequest.getDefaultInstance()));
      assertThat(account.getRequestId()).isEqualTo(77);
      assertThat(account.getGetAccount().getAccount().getProfile().getUserId()).isEqualTo(42);

      Response sessions =
          c.call(Request.newBuilder().setListSessions(ListSessionsRequest.getDefaultInstance()));
      assertThat(sessions.getListSessions().getSessions(0).getSessionId()).isEqualTo(420);

      List<Seen> seen = h.users.calls("getAccount");
      assertThat(seen).extracting(Seen::caller).contains(new CallContext(42, 420, "127.0.0.1"));
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void secondAuthenticateIsRefused(Encoding encoding) {
    try (WsClient c = h.login(encoding, 1, 11)) {
      Response r =
          c.call(
              Request.newBuilder()
                  .setAuthenticate(AuthenticateRequest.newBuilder().setAccessToken("good-2-22")));
      assertThat(r.getError().getReason()).isEqualTo(Reason.ALREADY_AUTHENTICATED);
      assertThat(c.ping().hasPing()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void undecodableFramesAreAnsweredAndTheConnectionLives(Encoding encoding) {
    try (WsClient c = h.login(encoding, 1, 12)) {
      if (encoding == Encoding.JSON) {
        c.sendText("{not json");
        assertBadRequest(c.nextResponse());
        c.sendBinary(new byte[] {1, 2, 3}); // wrong frame type
      } else {
        c.sendBinary(
            new byte[] {
              (byte) 0xff,
              (byte) 0xff,
              (byte) 0xff,
              (byte) 0xff,
              (byte) 0xff,
              (byte) 0xff,
              (byte) 0xff,
              (byte) 0xff,
              (byte) 0xff,
              (byte) 0xff,
              (byte) 0xff
            });
        assertBadRequest(c.nextResponse());
        c.sendText("{}"); // wrong frame type
      }
      assertBadRequest(c.nextResponse());
      assertThat(c.ping().hasPing()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void requestWithoutKnownOpIsUnknownOperation(Encoding encoding) {
    try (WsClient c = h.login(encoding, 1, 13)) {
      if (encoding == Encoding.JSON) {
        c.sendText("{\"requestId\": 9, \"launchRockets\": {\"count\": 3}}"); // a future op
      } else {
        // request_id = 9, then field 999 (a future op) as an empty message
        c.sendBinary(new byte[] {0x08, 0x09, (byte) 0xba, 0x3e, 0x00});
      }
      Response r = c.nextResponse();
      assertThat(r.getRequestId()).isEqualTo(9);
      assertThat(r.getError().getReason()).isEqualTo(Reason.UNKNOWN_OPERATION);
      assertThat(c.ping().hasPing()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void tenBadFramesInARowClose4004(Encoding encoding) {
    try (WsClient c = h.login(encoding, 1, 14)) {
      for (int i = 0; i < 10; i++) {
        if (encoding == Encoding.JSON) c.sendBinary(new byte[] {1});
        else c.sendText("x");
      }
      for (int i = 0; i < 10; i++) assertBadRequest(c.nextResponse());
      assertThat(c.awaitClose()).isEqualTo(new WsClient.Close(4004, "too many bad frames"));
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void oversizeFrameClosesWith1009AndOthersAreUnaffected(Encoding encoding) {
    try (WsClient other = h.login(encoding, 2, 21);
        WsClient c = h.login(encoding, 1, 15)) {
      byte[] big = new byte[config.maxFrameBytes + 1];
      java.util.Arrays.fill(big, (byte) 'a');
      if (encoding == Encoding.JSON) c.sendText(new String(big, StandardCharsets.US_ASCII));
      else c.sendBinary(big);
      assertThat(c.awaitClose().code()).isEqualTo(1009);
      assertThat(other.ping().hasPing()).isTrue();
      assertThat(h.get("/healthz").statusCode()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void requestsBeyondTheInFlightLimitAreRefused(Encoding encoding) {
    h.users.holdGetProfiles = true;
    try (WsClient c = h.login(encoding, 1, 16)) {
      for (int id = 1; id <= 3; id++) {
        c.send(
            Request.newBuilder()
                .setRequestId(id)
                .setGetProfiles(GetProfilesRequest.newBuilder().addUserIds(id))
                .build());
      }
      Response refused = c.nextResponse();
      assertThat(refused.getRequestId()).isEqualTo(3);
      assertThat(refused.getError().getReason()).isEqualTo(Reason.TOO_MANY_IN_FLIGHT);
      await().until(() -> h.users.held.size() == 2);
      h.users.releaseHeld();
      Response first = c.nextResponse();
      Response second = c.nextResponse();
      assertThat(List.of(first.getRequestId(), second.getRequestId()))
          .containsExactlyInAnyOrder(1, 2);
      assertThat(first.getGetProfiles().getProfilesCount()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void logoutAnswersThenCloses1000(Encoding encoding) {
    try (WsClient c = h.login(encoding, 3, 31)) {
      Response r = c.call(Request.newBuilder().setLogout(LogoutRequest.getDefaultInstance()));
      assertThat(r.hasLogout()).isTrue();
      assertThat(c.awaitClose()).isEqualTo(new WsClient.Close(1000, "logged out"));
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void revokedSessionIsClosedAtTouch(Encoding encoding) {
    h.users.revokedSessions.add(99L);
    try (WsClient c = h.connect(encoding)) {
      c.authenticate("good-9-99"); // the first touch, one interval later, finds it revoked
      assertThat(c.awaitClose().code()).isEqualTo(4002);
    } finally {
      h.users.revokedSessions.remove(99L);
    }
  }

  private static void assertBadRequest(Response r) {
    assertThat(r.getRequestId()).isZero();
    assertThat(r.getError().getReason()).isEqualTo(Reason.BAD_REQUEST);
    assertThat(r.getError().getCode()).isEqualTo(400);
  }
}
