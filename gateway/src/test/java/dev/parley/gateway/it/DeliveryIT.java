package dev.parley.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.gateway.codec.Encoding;
import dev.parley.gateway.support.GatewayHarness;
import dev.parley.gateway.support.TestConfig;
import dev.parley.gateway.support.WsClient;
import dev.parley.proto.client.Event;
import dev.parley.proto.client.LogoutRequest;
import dev.parley.proto.client.Profile;
import dev.parley.proto.client.ProfileUpdated;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.SessionRevoked;
import dev.parley.proto.internal.Delivery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Deliveries published on the bus reach exactly the matching connections. After each publish every
 * client pings: the ping answer arriving first proves that no event was sent to it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeliveryIT {
  private final GatewayHarness h = new GatewayHarness(new TestConfig());

  @AfterAll
  void stop() {
    h.close();
  }

  private static Event profileUpdated(String name) {
    return Event.newBuilder()
        .setProfileUpdated(
            ProfileUpdated.newBuilder()
                .setProfile(Profile.newBuilder().setUserId(1).setDisplayName(name)))
        .build();
  }

  @Test
  void reachesAllDevicesOfTheListedUsersInTheirEncodings() {
    try (WsClient a1 = h.login(Encoding.JSON, 1, 11);
        WsClient a2 = h.login(Encoding.PROTOBUF, 1, 12);
        WsClient b = h.login(Encoding.JSON, 2, 21)) {
      h.bus.publish(Delivery.newBuilder().addUserIds(1).setEvent(profileUpdated("all")).build());
      assertThat(a1.nextEvent()).isEqualTo(profileUpdated("all"));
      assertThat(a2.nextEvent()).isEqualTo(profileUpdated("all"));
      assertThat(b.ping().hasPing()).isTrue();
    }
  }

  @Test
  void honoursOnlyAndExceptSession() {
    try (WsClient a1 = h.login(Encoding.PROTOBUF, 1, 11);
        WsClient a2 = h.login(Encoding.JSON, 1, 12)) {
      h.bus.publish(
          Delivery.newBuilder()
              .addUserIds(1)
              .setExceptSessionId(11)
              .setEvent(profileUpdated("except"))
              .build());
      h.bus.publish(
          Delivery.newBuilder()
              .addUserIds(1)
              .setOnlySessionId(11)
              .setEvent(profileUpdated("only"))
              .build());
      assertThat(a1.nextEvent()).isEqualTo(profileUpdated("only"));
      assertThat(a2.nextEvent()).isEqualTo(profileUpdated("except"));
      assertThat(a1.ping().hasPing()).isTrue();
      assertThat(a2.ping().hasPing()).isTrue();
    }
  }

  @Test
  void disconnectSessionGetsTheEventThenClose4002() {
    Event revoked =
        Event.newBuilder()
            .setSessionRevoked(SessionRevoked.newBuilder().setSessionId(12).setReason("revoked"))
            .build();
    try (WsClient a1 = h.login(Encoding.JSON, 1, 11);
        WsClient a2 = h.login(Encoding.PROTOBUF, 1, 12)) {
      h.bus.publish(
          Delivery.newBuilder().addUserIds(1).setEvent(revoked).setDisconnectSessionId(12).build());
      assertThat(a1.nextEvent()).isEqualTo(revoked);
      assertThat(a2.nextEvent()).isEqualTo(revoked);
      assertThat(a2.awaitClose()).isEqualTo(new WsClient.Close(4002, "session revoked"));
      assertThat(a1.ping().hasPing()).isTrue();
    }
  }

  @Test
  void aDisconnectDuringOwnLogoutLeavesTheCloseToLogout() {
    // The service publishes the revocation while it serves the logout, as the real one does.
    try (WsClient c = h.login(Encoding.JSON, 3, 33)) {
      Event revoked =
          Event.newBuilder()
              .setSessionRevoked(SessionRevoked.newBuilder().setSessionId(33).setReason("logout"))
              .build();
      h.users.onLogout =
          () ->
              h.bus.publish(
                  Delivery.newBuilder()
                      .addUserIds(3)
                      .setEvent(revoked)
                      .setDisconnectSessionId(33)
                      .build());
      try {
        c.send(
            Request.newBuilder()
                .setRequestId(5)
                .setLogout(LogoutRequest.getDefaultInstance())
                .build());
        assertThat(c.nextEvent()).isEqualTo(revoked);
        assertThat(c.nextResponse().hasLogout()).isTrue();
        assertThat(c.awaitClose()).isEqualTo(new WsClient.Close(1000, "logged out"));
      } finally {
        h.users.onLogout = () -> {};
      }
    }
  }

  @Test
  void unauthenticatedConnectionsGetNothing() {
    try (WsClient anon = h.connect(Encoding.JSON)) {
      h.bus.publish(
          Delivery.newBuilder().addUserIds(0).addUserIds(1).setEvent(profileUpdated("x")).build());
      assertThat(anon.ping().hasPing()).isTrue();
    }
  }
}
