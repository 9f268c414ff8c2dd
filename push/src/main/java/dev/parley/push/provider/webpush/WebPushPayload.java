package dev.parley.push.provider.webpush;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.push.provider.PushNotification;
import java.nio.charset.StandardCharsets;

/**
 * The JSON the service worker decrypts from a push event ({@code event.data.json()}):
 *
 * <pre>
 * {"title": "…", "body": "…", "sound": true,     (absent in a silent push)
 *  "badge": 3, "tag": "…", "thread_id": "…",    (each when set; tag is the collapse key)
 *  "data": {"…": "…"}}
 * </pre>
 *
 * A browser shows nothing by itself: the service worker calls {@code showNotification(title, {body,
 * tag, data})}, where {@code tag} replaces a shown notification with the same tag.
 */
final class WebPushPayload {
  /**
   * The largest plaintext one aes128gcm record can carry in the 4096-byte body push services
   * accept: 4096 less the header (86: salt 16, record size 4, key length 1, key 65), the padding
   * delimiter (1) and the GCM tag (16).
   */
  static final int MAX_BYTES = 4096 - 86 - 1 - 16;

  private WebPushPayload() {}

  static byte[] json(ObjectMapper json, PushNotification n) {
    ObjectNode root = json.createObjectNode();
    PushNotification.Alert alert = n.alert();
    if (alert != null) {
      root.put("title", alert.title()).put("body", alert.body()).put("sound", alert.sound());
    }
    Integer badge = n.badge();
    String collapseKey = n.collapseKey();
    String threadId = n.threadId();
    if (badge != null) root.put("badge", badge.intValue());
    if (collapseKey != null) root.put("tag", collapseKey);
    if (threadId != null) root.put("thread_id", threadId);
    ObjectNode data = root.putObject("data");
    n.data().forEach(data::put);
    try {
      return json.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("Cannot write a Web Push payload", e);
    }
  }
}
