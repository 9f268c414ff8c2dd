package dev.parley.push.provider.apns;

import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.util.SimpleApnsPayloadBuilder;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import dev.parley.push.provider.CollapseKeys;
import dev.parley.push.provider.PushNotification;
import dev.parley.push.provider.PushTarget;
import java.time.Clock;
import java.time.Instant;

/**
 * One APNs request for a notification: the {@code aps} dictionary, custom keys (the data map, at
 * the top level beside {@code aps}), and the headers.
 *
 * <ul>
 *   <li>Alert: {@code aps.alert {title, body}}, {@code sound "default"}, {@code badge}, {@code
 *       thread-id}, {@code mutable-content 1} when asked; {@code apns-push-type: alert}, priority
 *       10 (HIGH) or 5 (NORMAL).
 *   <li>Silent with a badge: {@code aps {badge, content-available 1}}, push type alert (Apple's
 *       rule for anything that changes the badge), priority 5: the badge changes and the app may
 *       wake to withdraw notifications read elsewhere.
 *   <li>Silent without a badge: {@code aps {content-available 1}}, push type background, priority 5
 *       (Apple refuses background pushes at 10).
 * </ul>
 *
 * {@code apns-expiration} is now + TTL (0, "try once", for a zero TTL); {@code apns-collapse-id} is
 * the collapse key (hashed if longer than Apple's 64 bytes).
 */
final class ApnsPayloads {
  static final int MAX_COLLAPSE_ID_BYTES = 64;

  private ApnsPayloads() {}

  static SimpleApnsPushNotification notification(
      PushTarget.Apns target, PushNotification n, Clock clock) {
    SimpleApnsPayloadBuilder payload = new SimpleApnsPayloadBuilder();
    PushNotification.Alert alert = n.alert();
    Integer badge = n.badge();
    String threadId = n.threadId();
    PushType type;
    DeliveryPriority priority;
    if (alert != null) {
      payload.setAlertTitle(alert.title());
      payload.setAlertBody(alert.body());
      if (alert.sound()) payload.setSound("default");
      if (n.mutableContent()) payload.setMutableContent(true);
      if (threadId != null) payload.setThreadId(threadId);
      type = PushType.ALERT;
      priority =
          n.priority() == PushNotification.Priority.HIGH
              ? DeliveryPriority.IMMEDIATE
              : DeliveryPriority.CONSERVE_POWER;
    } else {
      payload.setContentAvailable(true);
      type = badge != null ? PushType.ALERT : PushType.BACKGROUND;
      priority = DeliveryPriority.CONSERVE_POWER;
    }
    if (badge != null) payload.setBadgeNumber(badge);
    n.data().forEach(payload::addCustomProperty);

    Instant expiration = n.ttl().isZero() ? Instant.EPOCH : clock.instant().plus(n.ttl());
    String collapseKey = n.collapseKey();
    String collapseId =
        collapseKey == null ? null : CollapseKeys.fitting(collapseKey, MAX_COLLAPSE_ID_BYTES);
    return new SimpleApnsPushNotification(
        target.deviceToken(),
        target.topic(),
        payload.build(),
        expiration,
        priority,
        type,
        collapseId,
        null);
  }
}
