package dev.parley.push.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {
  private final RetryBackoff backoff =
      new RetryBackoff(Duration.ofSeconds(1), Duration.ofMinutes(10), new SplittableRandom(7));

  @Test
  void theCeilingDoublesPerAttemptUpToTheMaximum() {
    assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.ceiling(5)).isEqualTo(Duration.ofSeconds(16));
    assertThat(backoff.ceiling(10)).isEqualTo(Duration.ofSeconds(512));
    assertThat(backoff.ceiling(11)).isEqualTo(Duration.ofMinutes(10));
    assertThat(backoff.ceiling(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void delaysAreSpreadOverTheWholeWindow() {
    long below = 0;
    for (int i = 0; i < 1000; i++) {
      Duration d = backoff.delay(5, null);
      assertThat(d).isBetween(Duration.ZERO, Duration.ofSeconds(16));
      if (d.compareTo(Duration.ofSeconds(8)) < 0) below++;
    }
    // Full jitter: about half below the middle (not a fixed delay plus a little noise).
    assertThat(below).isBetween(350L, 650L);
  }

  @Test
  void aRetryAfterIsAFloorWithAtMostTenPercentMore() {
    for (int i = 0; i < 100; i++) {
      assertThat(backoff.delay(1, Duration.ofHours(1)))
          .isBetween(Duration.ofHours(1), Duration.ofMinutes(66));
    }
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> backoff.delay(0, null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new RetryBackoff(Duration.ZERO, Duration.ofSeconds(1), new SplittableRandom()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
