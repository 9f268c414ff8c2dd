package dev.parley.msg.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class GatheringTest {
  private static final long MS = 1_000_000;
  private static final int ENOUGH = 250;

  private final AtomicLong now = new AtomicLong(9_000 * MS);
  private final List<Duration> sleeps = new ArrayList<>();

  private Gathering gathering(Duration window) {
    return new Gathering(
        window,
        ENOUGH,
        now::get,
        d -> {
          sleeps.add(d);
          now.addAndGet(d.toNanos());
        });
  }

  private final Gathering gathering = gathering(Duration.ofMillis(200));

  @Test
  void afterAPassItWaitsOutTheWindowCountedFromThatPassesStart() throws InterruptedException {
    long started = now.get();
    now.addAndGet(30 * MS); // the pass took 30 ms
    assertThat(gathering.beforePass(started, false, () -> 12)).isEqualTo(170 * MS);
    assertThat(sleeps).containsExactly(Duration.ofMillis(170));
  }

  @Test
  void aPassLongerThanTheWindowIsFollowedAtOnce() throws InterruptedException {
    long started = now.get();
    now.addAndGet(250 * MS);
    assertThat(gathering.beforePass(started, false, () -> 12)).isZero();
    assertThat(sleeps).isEmpty();
  }

  @Test
  void afterAQuietSpellTheFirstMessageIsIndexedAtOnce() throws InterruptedException {
    long lastPassStarted = now.get();
    now.addAndGet(5_000 * MS);
    assertThat(gathering.beforePass(lastPassStarted, false, () -> 1)).isZero();
    assertThat(sleeps).isEmpty();
  }

  @Test
  void whenTheLastPassLeftWorkForLaterTheNextStartsAtOnce() throws InterruptedException {
    long started = now.get();
    now.addAndGet(10 * MS);
    assertThat(gathering.beforePass(started, true, () -> 1)).isZero();
    assertThat(sleeps).isEmpty();
  }

  @Test
  void aFullPassOfConversationsWaitingStartsAtOnce() throws InterruptedException {
    long started = now.get();
    now.addAndGet(10 * MS);
    assertThat(gathering.beforePass(started, false, () -> ENOUGH)).isZero();
    assertThat(gathering.beforePass(started, false, () -> ENOUGH - 1)).isEqualTo(190 * MS);
  }

  @Test
  void aZeroWindowNeverWaits() throws InterruptedException {
    Gathering off = gathering(Duration.ZERO);
    assertThat(off.beforePass(now.get(), false, () -> 0)).isZero();
    assertThat(sleeps).isEmpty();
  }
}
