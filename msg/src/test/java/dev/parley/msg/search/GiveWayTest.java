package dev.parley.msg.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.msg.core.log.SendPressure;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class GiveWayTest {
  private static final long MS = 1_000_000;
  private static final int FULL = 500;
  private static final Duration AT_MOST = Duration.ofSeconds(60);

  private final AtomicLong now = new AtomicLong(7_000 * MS);
  private final SendPressure pressure = new SendPressure(Duration.ofMillis(50), now::get);

  /** Each sleep moves the clock; {@code sendsQueue} keeps the pressure high meanwhile. */
  private boolean sendsQueue;

  private final GiveWay giveWay =
      new GiveWay(
          pressure,
          FULL,
          AT_MOST,
          now::get,
          d -> {
            now.addAndGet(d.toNanos());
            if (sendsQueue) pressure.waited(80 * MS);
          });

  /** One busy window: high for a second from now. */
  private void sendsQueuedForAWindow() {
    pressure.waited(80 * MS);
    now.addAndGet(250 * MS);
    assertThat(pressure.high()).isTrue();
  }

  @Test
  void withoutPressureAFullPassStartsAtOnce() throws InterruptedException {
    assertThat(giveWay.beforePass(now.get(), 400 * MS)).isEqualTo(new GiveWay.Turn(FULL, 0));
  }

  @Test
  void underPressureThatDoesNotEndItRestsThreeTimesItsLastPass_thenPassesSmall()
      throws InterruptedException {
    sendsQueuedForAWindow();
    sendsQueue = true;
    GiveWay.Turn turn = giveWay.beforePass(now.get(), 40 * MS);
    assertThat(turn.budget()).isEqualTo(GiveWay.BATCH_UNDER_PRESSURE);
    assertThat(turn.waitedNanos()).isEqualTo(120 * MS);
  }

  @Test
  void theRestCountsFromTheEndOfTheLastPass() throws InterruptedException {
    sendsQueuedForAWindow();
    sendsQueue = true;
    // The pass took 100 ms and ended 250 ms ago: 50 ms of its 300 ms rest are left.
    GiveWay.Turn turn = giveWay.beforePass(now.get() - 250 * MS, 100 * MS);
    assertThat(turn.waitedNanos()).isEqualTo(50 * MS);
    assertThat(turn.budget()).isEqualTo(GiveWay.BATCH_UNDER_PRESSURE);
  }

  @Test
  void afterATinyPassItRestsAtLeastTheMinimum() throws InterruptedException {
    sendsQueuedForAWindow();
    sendsQueue = true;
    GiveWay.Turn turn = giveWay.beforePass(now.get(), 2 * MS);
    assertThat(turn.waitedNanos()).isEqualTo(GiveWay.MIN_REST.toNanos());
  }

  @Test
  void underPressureThatEndsWhileItRests_aFullPassStartsAtTheEnd() throws InterruptedException {
    sendsQueuedForAWindow(); // high until one second from now
    long lastPassEnd = now.get();
    GiveWay.Turn turn = giveWay.beforePass(lastPassEnd, 2_000 * MS);
    assertThat(turn.budget()).isEqualTo(FULL);
    assertThat(turn.waitedNanos()).isBetween(1_000 * MS, 1_000 * MS + GiveWay.CHECK.toNanos());
  }

  @Test
  void aThreadWhoseRestIsOverPassesSmallAtOnceUnderPressure() throws InterruptedException {
    sendsQueuedForAWindow();
    GiveWay.Turn turn = giveWay.beforePass(now.get() - 60_000 * MS, 100 * MS);
    assertThat(turn).isEqualTo(new GiveWay.Turn(GiveWay.BATCH_UNDER_PRESSURE, 0));
  }

  /** Under pressure that does not end, indexing keeps to a quarter of the thread's time. */
  @Test
  void underPressureThatDoesNotEndPassesTakeAQuarterOfTheTime() throws InterruptedException {
    sendsQueuedForAWindow();
    sendsQueue = true;
    long begin = now.get();
    long passing = 0;
    long lastPassEnd = now.get();
    long lastPass = 0;
    for (int i = 0; i < 100; i++) {
      giveWay.beforePass(lastPassEnd, lastPass);
      lastPass = (20 + i % 7 * 10) * MS; // passes of 20-80 ms
      now.addAndGet(lastPass);
      passing += lastPass;
      lastPassEnd = now.get();
    }
    assertThat((double) passing / (now.get() - begin)).isBetween(0.24, 0.26);
  }

  @Test
  void anIndexThatTrailedForTheLimitNoLongerGivesWay_untilAPassTakesAllThereIs()
      throws InterruptedException {
    sendsQueue = true;
    giveWay.afterPass(true, now.get());
    now.addAndGet(AT_MOST.toNanos() - 350 * MS);
    giveWay.afterPass(true, now.get()); // still trailing, since the first
    sendsQueuedForAWindow(); // 100 ms short of the limit
    assertThat(giveWay.beforePass(now.get(), 40 * MS).budget())
        .isEqualTo(GiveWay.BATCH_UNDER_PRESSURE);

    sendsQueuedForAWindow(); // past the limit since the first pass that left work
    assertThat(giveWay.beforePass(now.get(), 40 * MS)).isEqualTo(new GiveWay.Turn(FULL, 0));

    giveWay.afterPass(false, now.get()); // caught up: gives way again
    sendsQueuedForAWindow();
    assertThat(giveWay.beforePass(now.get(), 40 * MS).budget())
        .isEqualTo(GiveWay.BATCH_UNDER_PRESSURE);
  }

  @Test
  void trailingThatEndsStartsTheLimitAfresh() throws InterruptedException {
    sendsQueue = true;
    giveWay.afterPass(true, now.get());
    now.addAndGet(AT_MOST.toNanos() / 2);
    giveWay.afterPass(false, now.get());
    giveWay.afterPass(true, now.get());
    now.addAndGet(AT_MOST.toNanos() / 2);
    sendsQueuedForAWindow();
    // Past a minute since the first pass that left work, but not since the one that caught up.
    assertThat(giveWay.beforePass(now.get(), 40 * MS).budget())
        .isEqualTo(GiveWay.BATCH_UNDER_PRESSURE);
  }
}
