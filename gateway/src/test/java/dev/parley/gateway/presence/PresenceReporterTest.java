package dev.parley.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.gateway.support.RecordingPresence;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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

  @Test
  void announcesAUsersFirstSessionOpenedAndLastClosed_afterTellingThePresence() {
    List<String> told = new CopyOnWriteArrayList<>();
    PresenceAnnouncements announcements =
        new PresenceAnnouncements() {
          @Override
          public void online(long userId) {
            told.add("online " + userId + " after " + presence.changes().size());
          }

          @Override
          public void offline(long userId) {
            told.add("offline " + userId + " after " + presence.changes().size());
          }
        };
    try (PresenceReporter reporter =
        new PresenceReporter(presence, Duration.ofMinutes(10), announcements)) {
      reporter.sessionOpened(1, 11);
      reporter.sessionOpened(1, 12); // a second device: the user was already online here
      reporter.sessionOpened(2, 21);
      reporter.sessionClosed(1, 11); // one device left
      reporter.sessionClosed(1, 12);
      await().atMost(Duration.ofSeconds(5)).until(() -> told.size() == 3);
      assertThat(told).containsExactly("online 1 after 1", "online 2 after 3", "offline 1 after 5");
    }
  }
}
