package dev.parley.msg.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.msg.core.log.SendPressure;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class GiveWayTest {
  private static final long MS = 1_000_000;
  private static final int FULL = 500;

  private final AtomicLong now = new AtomicLong(7_000 * MS);
  private final SendPressure pressure = new SendPressure(Duration.ofMillis(50), now::get);

  /** Each sleep moves the clock; {@code sendsQueue} keeps the pressure high meanwhile. */
  private boolean sendsQueue;

  private final GiveWay giveWay =
      new GiveWay(
          pressure,
          FULL,
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
    assertThat(giveWay.beforePass(now.get())).isEqualTo(new GiveWay.Turn(FULL, 0));
  }

  @Test
  void underPressureThatEndsItWaitsForTheEndThenPassesFully() throws InterruptedException {
    sendsQueuedForAWindow();
    long lastPass = now.get();
    GiveWay.Turn turn = giveWay.beforePass(lastPass);
    assertThat(turn.budget()).isEqualTo(FULL);
    assertThat(turn.waitedNanos()).isBetween(1_000 * MS, 1_050 * MS);
  }

  @Test
  void underPressureThatDoesNotEndASmallPassStartsTenSecondsAfterTheLast()
      throws InterruptedException {
    sendsQueuedForAWindow();
    long lastPass = now.get() - 2_000 * MS;
    sendsQueue = true;
    GiveWay.Turn turn = giveWay.beforePass(lastPass);
    assertThat(turn.budget()).isEqualTo(GiveWay.BATCH_UNDER_PRESSURE);
    assertThat(turn.waitedNanos()).isBetween(8_000 * MS, 8_050 * MS);
  }

  @Test
  void aThreadWhoseLastPassIsLongAgoPassesSmallAtOnceUnderPressure() throws InterruptedException {
    sendsQueuedForAWindow();
    GiveWay.Turn turn = giveWay.beforePass(now.get() - 60_000 * MS);
    assertThat(turn).isEqualTo(new GiveWay.Turn(GiveWay.BATCH_UNDER_PRESSURE, 0));
  }
}
