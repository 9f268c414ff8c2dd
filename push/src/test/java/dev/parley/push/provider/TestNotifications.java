package dev.parley.push.provider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

/** The notifications and addresses the provider tests share. */
public final class TestNotifications {
  private TestNotifications() {}

  /** A visible message notification of conversation 42, with every optional field set. */
  public static PushNotification alert(boolean mutableContent) {
    return new PushNotification(
        new PushNotification.Alert("Alice", "See you at 8?", true),
        Map.of("conversation_id", "42", "seq", "7"),
        3,
        "c:42",
        "c:42",
        Duration.ofHours(1),
        PushNotification.Priority.HIGH,
        mutableContent);
  }

  /** A silent update (a read on another device), without collapse key or thread. */
  public static PushNotification silent(
      Integer badge, Duration ttl, PushNotification.Priority priority) {
    return new PushNotification(
        null, Map.of("read_up_to", "9"), badge, null, null, ttl, priority, false);
  }

  /** A port on 127.0.0.1 nothing listens on (connections are refused). */
  public static int closedPort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
