package dev.parley.push.provider.fcm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.push.provider.PushNotification;
import java.nio.charset.StandardCharsets;

/**
 * The body of one {@code messages:send} request: a v1 {@code Message} for one registration token.
 * Only the Android part is filled (iOS goes through APNs directly, browsers through Web Push).
 *
 * <pre>
 * {"message": {
 *   "token": "…",
 *   "notification": {"title": "…", "body": "…"},            (not in a silent push)
 *   "data": {"…": "…", "badge": "3", "thread_id": "…"},    (string values only)
 *   "android": {
 *     "priority": "HIGH" | "NORMAL", "ttl": "86400s", "collapse_key": "…",
 *     "notification": {"tag": "…", "notification_count": 3, "default_sound": true}}}}
 * </pre>
 *
 * The {@code tag} (the collapse key) makes a newer notification replace the one shown; {@code
 * collapse_key} makes FCM keep only the newest while the device is offline.
 */
final class FcmMessage {
  private FcmMessage() {}

  static byte[] body(ObjectMapper json, String token, PushNotification n) {
    ObjectNode root = json.createObjectNode();
    ObjectNode message = root.putObject("message");
    message.put("token", token);
    PushNotification.Alert alert = n.alert();
    if (alert != null) {
      message.putObject("notification").put("title", alert.title()).put("body", alert.body());
    }
    Integer badge = n.badge();
    String collapseKey = n.collapseKey();
    String threadId = n.threadId();
    ObjectNode data = message.putObject("data");
    n.data().forEach(data::put);
    if (badge != null) data.put("badge", Integer.toString(badge));
    if (threadId != null) data.put("thread_id", threadId);
    if (data.isEmpty()) message.remove("data");

    ObjectNode android = message.putObject("android");
    android.put("priority", n.priority() == PushNotification.Priority.HIGH ? "HIGH" : "NORMAL");
    android.put("ttl", n.ttl().toSeconds() + "s");
    if (collapseKey != null) android.put("collapse_key", collapseKey);
    if (alert != null) {
      ObjectNode shown = android.putObject("notification");
      if (collapseKey != null) shown.put("tag", collapseKey);
      if (badge != null) shown.put("notification_count", badge.intValue());
      if (alert.sound()) shown.put("default_sound", true);
    }
    try {
      return json.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("Cannot write an FCM message", e);
    }
  }
}
