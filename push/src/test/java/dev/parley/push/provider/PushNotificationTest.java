package dev.parley.push.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PushNotificationTest {
  private static PushNotification withData(Map<String, String> data) {
    return new PushNotification(
        null, data, null, "", "", Duration.ofMinutes(1), PushNotification.Priority.NORMAL, false);
  }

  @Test
  void keysAPlatformKeepsForItselfAreRefused() {
    for (String key : new String[] {"from", "aps", "badge", "thread_id", "google.x", "gcm.y", ""}) {
      assertThatThrownBy(() -> withData(Map.of(key, "v")))
          .as(key)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void emptyCollapseKeysAndThreadsMeanNone() {
    PushNotification n = withData(Map.of("conversation_id", "1"));
    assertThat(n.collapseKey()).isNull();
    assertThat(n.threadId()).isNull();
    assertThat(n.silent()).isTrue();
  }

  @Test
  void targetsDoNotPrintWholeTokens() {
    String token = "f".repeat(64);
    assertThat(new PushTarget.Fcm(token).toString()).doesNotContain(token);
    assertThat(
            new PushTarget.Apns(token, PushTarget.Apns.Environment.PRODUCTION, "dev.parley.app")
                .toString())
        .doesNotContain(token);
  }
}
