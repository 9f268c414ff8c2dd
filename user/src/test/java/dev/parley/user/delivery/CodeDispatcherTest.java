package dev.parley.user.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.user.UserMetrics;
import dev.parley.user.auth.Identifier;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class CodeDispatcherTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private double count(String channel, String outcome) {
    var c = registry.find("parley.user.codes.sent").tags("channel", channel, "outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  private static CodeMessage to(String identifier) {
    Identifier id = identifier.startsWith("+") ? Identifier.phone(identifier, "f") : Identifier.email(identifier, "f");
    return new CodeMessage(id, "123456", Duration.ofMinutes(5));
  }

  @Test
  void routesByChannelAndCountsOutcomes() {
    CodeSender mail = m -> {};
    CodeSender sms = m -> {
      throw new IOException("provider down");
    };
    try (CodeDispatcher dispatcher = new CodeDispatcher(mail, sms, new UserMetrics(registry))) {
      dispatcher.dispatch(to("a@example.com"));
      dispatcher.dispatch(to("+4915112345678"));
      await().atMost(Duration.ofSeconds(5)).until(() -> count("email", "sent") == 1 && count("sms", "failed") == 1);
    }
  }

  @Test
  void dropsWhenTheQueueIsFullInsteadOfBlocking() {
    CountDownLatch release = new CountDownLatch(1);
    CodeSender blocked = m -> release.await();
    try (CodeDispatcher dispatcher = new CodeDispatcher(blocked, blocked, new UserMetrics(registry))) {
      for (int i = 0; i < CodeDispatcher.THREADS + CodeDispatcher.QUEUE + 3; i++) dispatcher.dispatch(to("a@example.com"));
      assertThat(count("email", "rejected")).isEqualTo(3);
      release.countDown();
    }
  }

  @Test
  void codesNeverAppearInToString() {
    assertThat(to("a@example.com").toString()).doesNotContain("123456");
  }
}
