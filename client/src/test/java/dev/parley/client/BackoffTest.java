package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Duration BASE = Duration.ofMillis(100);
  private static final Duration MAX = Duration.ofSeconds(10);
  private static final Duration RESET_AFTER = Duration.ofSeconds(30);

  /** Always draws the largest value allowed, so a delay shows the ceiling it was drawn under. */
  private static final RandomGenerator HIGHEST =
      new RandomGenerator() {
        @Override
        public long nextLong() {
          throw new UnsupportedOperationException();
        }

        @Override
        public long nextLong(long bound) {
          return bound - 1;
        }
      };

  private final AtomicLong now = new AtomicLong();

  @Test
  void ceilingDoublesFromBaseAndStopsAtMax() {
    Backoff backoff = new Backoff(BASE, MAX, RESET_AFTER, HIGHEST, now::get);

    assertThat(backoff.ceilingNanos(0)).isEqualTo(BASE.toNanos());
    assertThat(backoff.ceilingNanos(1)).isEqualTo(2 * BASE.toNanos());
    assertThat(backoff.ceilingNanos(6)).isEqualTo(64 * BASE.toNanos());
    assertThat(backoff.ceilingNanos(7)).isEqualTo(MAX.toNanos());
    assertThat(backoff.ceilingNanos(62)).isEqualTo(MAX.toNanos()); // would overflow a long
    assertThat(backoff.ceilingNanos(Integer.MAX_VALUE)).isEqualTo(MAX.toNanos());
  }

  @Test
  void delaysStayWithinZeroAndTheCeiling() {
    Backoff backoff = new Backoff(BASE, MAX, RESET_AFTER, new SplittableRandom(42), now::get);

    for (int failures = 0; failures < 100; failures++) {
      long ceiling = backoff.ceilingNanos(failures);
      assertThat(backoff.nextDelay().toNanos()).isBetween(0L, ceiling);
    }
  }

  @Test
  void fullJitterSpreadsDelaysOverTheWholeWindow() {
    Backoff backoff =
        new Backoff(Duration.ofNanos(1), MAX, RESET_AFTER, new SplittableRandom(7), now::get);
    for (int i = 0; i < 64; i++) {
      backoff.nextDelay(); // up to the cap
    }

    Set<Long> delays = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      delays.add(backoff.nextDelay().toMillis());
    }

    assertThat(delays).hasSizeGreaterThan(900);
    assertThat(delays.stream().mapToLong(Long::longValue).min().orElseThrow()).isLessThan(500);
    assertThat(delays.stream().mapToLong(Long::longValue).max().orElseThrow()).isGreaterThan(9_500);
  }

  @Test
  void startsAgainAfterAConnectionStayedUp() {
    Backoff backoff = new Backoff(BASE, MAX, RESET_AFTER, HIGHEST, now::get);
    for (int i = 0; i < 5; i++) {
      backoff.nextDelay();
    }

    backoff.connected();
    now.addAndGet(RESET_AFTER.toNanos());

    assertThat(backoff.nextDelay()).isEqualTo(BASE); // ceiling(0), highest draw
    assertThat(backoff.failures()).isEqualTo(1);
  }

  @Test
  void keepsBackingOffWhenAConnectionDiesEarly() {
    Backoff backoff = new Backoff(BASE, MAX, RESET_AFTER, HIGHEST, now::get);
    for (int i = 0; i < 5; i++) {
      backoff.nextDelay();
    }

    backoff.connected();
    now.addAndGet(RESET_AFTER.toNanos() - 1);

    assertThat(backoff.nextDelay().toNanos()).isEqualTo(backoff.ceilingNanos(5));
    assertThat(backoff.failures()).isEqualTo(6);
  }

  @Test
  void resetForgetsFailures() {
    Backoff backoff = new Backoff(BASE, MAX, RESET_AFTER, HIGHEST, now::get);
    backoff.nextDelay();
    backoff.nextDelay();

    backoff.reset();

    assertThat(backoff.nextDelay()).isEqualTo(BASE);
  }

  @Test
  void rejectsBoundsThatMakeNoSense() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, MAX, RESET_AFTER, HIGHEST, now::get))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(MAX, BASE, RESET_AFTER, HIGHEST, now::get))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
