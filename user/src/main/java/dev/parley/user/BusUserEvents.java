package dev.parley.user;

import dev.parley.common.bus.DeliveryBus;
import dev.parley.common.privacy.PrivacyProtos;
import dev.parley.common.privacy.PrivacySettings;
import dev.parley.proto.client.Event;
import dev.parley.proto.client.PrivacyChanged;
import dev.parley.proto.client.ProfileUpdated;
import dev.parley.proto.client.SessionAdded;
import dev.parley.proto.client.SessionRevoked;
import dev.parley.proto.internal.Delivery;
import dev.parley.user.account.Profile;
import dev.parley.user.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link UserEvents} as deliveries on the bus, addressed to the user's devices. */
final class BusUserEvents implements UserEvents {
  private static final Logger log = LoggerFactory.getLogger(BusUserEvents.class);

  private final DeliveryBus bus;

  BusUserEvents(DeliveryBus bus) {
    this.bus = bus;
  }

  @Override
  public void sessionAdded(Session session) {
    publish(
        Delivery.newBuilder()
            .addUserIds(session.userId())
            .setExceptSessionId(session.sessionId())
            .setEvent(
                Event.newBuilder()
                    .setSessionAdded(
                        SessionAdded.newBuilder()
                            .setSession(ProtoMapper.session(session, 0, null))))
            .build());
  }

  @Override
  public void sessionRevoked(long userId, long sessionId, String reason) {
    publish(
        Delivery.newBuilder()
            .addUserIds(userId)
            .setDisconnectSessionId(sessionId)
            .setEvent(
                Event.newBuilder()
                    .setSessionRevoked(
                        SessionRevoked.newBuilder().setSessionId(sessionId).setReason(reason)))
            .build());
  }

  @Override
  public void profileUpdated(Profile profile, long exceptSessionId) {
    publish(
        Delivery.newBuilder()
            .addUserIds(profile.userId())
            .setExceptSessionId(exceptSessionId)
            .setEvent(
                Event.newBuilder()
                    .setProfileUpdated(
                        ProfileUpdated.newBuilder().setProfile(ProtoMapper.profile(profile))))
            .build());
  }

  @Override
  public void privacyChanged(long userId, PrivacySettings settings, long exceptSessionId) {
    publish(
        Delivery.newBuilder()
            .addUserIds(userId)
            .setExceptSessionId(exceptSessionId)
            .setEvent(
                Event.newBuilder()
                    .setPrivacyChanged(
                        PrivacyChanged.newBuilder().setSettings(PrivacyProtos.toProto(settings))))
            .build());
  }

  /**
   * The change is committed by now; a failing bus must not turn it into an error for the caller
   * (the devices catch up on their next request), so failures are logged only.
   */
  private void publish(Delivery delivery) {
    try {
      bus.publish(delivery);
    } catch (RuntimeException e) {
      log.warn("Could not publish a user event", e);
    }
  }
}
