package dev.parley.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.gateway.support.RecordingPresence;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PresenceReporterTest {
  private final RecordingPresence presence = new RecordingPresence();

  @Test
  void aLostRegistrationIsRefreshedAtOnce_notAtTheNextInterval() {
    try (PresenceReporter reporter =
        new PresenceReporter(presence, Duration.ofMinutes(10), Duration.ofMillis(50))) {
      reporter.start(() -> List.of(new long[] {1, 11}));
      await().atMost(Duration.ofSeconds(5)).until(() -> presence.refreshes() == 1);

      presence.registered.set(false);
      await("a refresh long before the 10 min interval")
          .atMost(Duration.ofSeconds(5))
          .until(() -> presence.refreshes() == 2);
      assertThat(presence.lastRefresh()).isEqualTo("refresh [1/11]");
    }
  }

  @Test
  void aRegistrationThatStaysCostsNoRefresh() throws InterruptedException {
    try (PresenceReporter reporter =
        new PresenceReporter(presence, Duration.ofMinutes(10), Duration.ofMillis(20))) {
      reporter.start(List::of);
      await().atMost(Duration.ofSeconds(5)).until(() -> presence.refreshes() == 1);
      // Fifteen checks at 20 ms find the registration in place: none of them refreshes.
      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(2))
          .until(() -> presence.refreshes() == 1);
    }
  }
}
