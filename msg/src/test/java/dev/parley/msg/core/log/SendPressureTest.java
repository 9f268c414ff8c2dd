package dev.parley.msg.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SendPressureTest {
  private static final long MS = 1_000_000;

  private final AtomicLong now = new AtomicLong(123 * MS);

  @Test
  void aWindowWhoseAverageWaitReachesTheThresholdMakesItHighForASecond() {
    SendPressure pressure = new SendPressure(Duration.ofMillis(50), now::get);
    pressure.waited(40 * MS);
    pressure.waited(60 * MS); // average 50
    assertThat(pressure.high()).isFalse(); // the window is still open
    now.addAndGet(250 * MS);
    assertThat(pressure.high()).isTrue();

    now.addAndGet(600 * MS);
    pressure.waited(1 * MS); // a quiet window within the busy second
    now.addAndGet(250 * MS);
    assertThat(pressure.high()).isTrue();
    now.addAndGet(150 * MS);
    assertThat(pressure.high()).isFalse();
  }

  @Test
  void oneLongWaitAmongShortOnesIsNotPressure() {
    SendPressure pressure = new SendPressure(Duration.ofMillis(50), now::get);
    pressure.waited(300 * MS); // a GC pause, say
    for (int i = 0; i < 20; i++) pressure.waited(5 * MS);
    now.addAndGet(250 * MS);
    assertThat(pressure.high()).isFalse();
  }

  @Test
  void aZeroThresholdIsNeverHigh() {
    SendPressure pressure = new SendPressure(Duration.ZERO, now::get);
    pressure.waited(10_000 * MS);
    now.addAndGet(250 * MS);
    assertThat(pressure.high()).isFalse();
    assertThat(SendPressure.none().high()).isFalse();
  }

  @Test
  void worksAcrossTheTickerWrappingAround() {
    now.set(Long.MAX_VALUE - 300 * MS);
    SendPressure pressure = new SendPressure(Duration.ofMillis(50), now::get);
    pressure.waited(60 * MS);
    now.addAndGet(250 * MS);
    assertThat(pressure.high()).isTrue();
    now.addAndGet(500 * MS); // past Long.MAX_VALUE: negative
    assertThat(pressure.high()).isTrue();
    now.addAndGet(600 * MS);
    assertThat(pressure.high()).isFalse();
  }
}
