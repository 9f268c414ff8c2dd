package dev.parley.push.provider;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What to tell a device, in terms every platform can express. Each provider maps it onto its own
 * payload (docs/protocol.md, "Push payloads").
 *
 * @param alert what the user sees; null for a silent push (a data/background update, e.g. to clear
 *     a notification read on another device and set the badge)
 * @param data key/value pairs delivered to the app as they are (FCM {@code data}, APNs custom keys,
 *     Web Push {@code data}); the keys of {@link #RESERVED_KEYS} and those starting with {@code
 *     google} or {@code gcm} are refused because a platform keeps them for itself
 * @param badge the app icon's number (the user's total unread); null leaves it as it is
 * @param collapseKey notifications with the same key replace each other: a newer one supersedes one
 *     still queued at the provider, and on Android, iOS and in browsers one already shown (FCM
 *     {@code collapse_key} and notification {@code tag}, APNs {@code apns-collapse-id}, Web Push
 *     {@code Topic}); null: every notification stands alone
 * @param threadId groups shown notifications (APNs {@code thread-id}; Android and Web get it in the
 *     payload); null: no group
 * @param ttl how long the provider keeps the notification for a device that is offline; zero:
 *     deliver now or never
 * @param priority how urgently the provider should wake the device
 * @param mutableContent lets an iOS notification service extension rewrite the alert before it is
 *     shown (APNs {@code mutable-content}); ignored elsewhere and for silent pushes
 */
public record PushNotification(
    @Nullable Alert alert,
    Map<String, String> data,
    @Nullable Integer badge,
    @Nullable String collapseKey,
    @Nullable String threadId,
    Duration ttl,
    Priority priority,
    boolean mutableContent) {

  /**
   * Data keys no notification may carry: FCM refuses {@code from}, {@code notification}, {@code
   * message_type} and {@code collapse_key}; APNs keeps {@code aps}; {@code badge} and {@code
   * thread_id} are where the FCM and Web Push payloads carry the badge and thread to the app
   * (docs/protocol.md, "Push payloads").
   */
  public static final Set<String> RESERVED_KEYS =
      Set.of("from", "notification", "message_type", "collapse_key", "aps", "badge", "thread_id");

  public PushNotification {
    data = Map.copyOf(data);
    for (String key : data.keySet()) {
      if (key.isEmpty()
          || RESERVED_KEYS.contains(key)
          || key.startsWith("google")
          || key.startsWith("gcm")) {
        throw new IllegalArgumentException("Reserved or empty push data key: '" + key + "'");
      }
    }
    if (badge != null && badge < 0) throw new IllegalArgumentException("badge < 0: " + badge);
    if (ttl.isNegative()) throw new IllegalArgumentException("negative ttl: " + ttl);
    if (collapseKey != null && collapseKey.isEmpty()) collapseKey = null;
    if (threadId != null && threadId.isEmpty()) threadId = null;
  }

  /** A silent push: data and badge only, nothing shown. */
  public boolean silent() {
    return alert == null;
  }

  /**
   * The visible part.
   *
   * @param title the notification's first line (sender or group name; "Parley" when previews are
   *     hidden)
   * @param body the text (the message preview, or "New message")
   * @param sound play the platform's default sound
   */
  public record Alert(String title, String body, boolean sound) {}

  /**
   * How urgently to deliver. HIGH wakes a sleeping device at once (FCM {@code HIGH}, APNs priority
   * 10, Web Push {@code Urgency: high}); NORMAL lets the platform batch it to save battery (FCM
   * {@code NORMAL}, APNs 5, Web Push {@code normal}). Silent APNs pushes always go at priority 5,
   * as Apple requires.
   */
  public enum Priority {
    HIGH,
    NORMAL
  }
}
