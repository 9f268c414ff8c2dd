package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.bench.load.OpenLoopPacer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenLoopPacerTest {
  @Test
  void intendedTimesFollowTheScheduleNotTheDispatcher() {
    List<Long> intended = new ArrayList<>();
    long start = System.nanoTime();
    long n =
        OpenLoopPacer.run(
            1000,
            start,
            Duration.ofMillis(100),
            Long.MAX_VALUE,
            (k, t) -> {
              intended.add(t);
              if (k == 10) sleep(30); // a slow dispatch must not move later due times
            },
            () -> false);
    assertThat(n).isEqualTo(100);
    for (int k = 0; k < intended.size(); k++) {
      assertThat(intended.get(k)).isEqualTo(start + k * 1_000_000L);
    }
  }

  @Test
  void stopsAtTheCount() {
    long n =
        OpenLoopPacer.run(
            100_000, System.nanoTime(), Duration.ofSeconds(10), 50, (k, t) -> {}, () -> false);
    assertThat(n).isEqualTo(50);
  }

  @Test
  void fractionalRates() {
    assertThat(OpenLoopPacer.intended(0, 3, 2.5)).isEqualTo(1_200_000_000L);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
