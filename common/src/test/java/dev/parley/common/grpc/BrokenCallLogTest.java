package dev.parley.common.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class BrokenCallLogTest {
  private final AtomicLong now = new AtomicLong();
  private final BrokenCallLog log =
      new BrokenCallLog(
          LoggerFactory.getLogger(BrokenCallLogTest.class), Duration.ofSeconds(10), now::get);

  @Test
  void theFirstBreakOfABurstIsLogged_theRestOfTheWindowOnlyCounted_thenTheNextBurstLogsAgain() {
    assertThat(log.record(Status.INTERNAL)).isTrue();
    for (int i = 0; i < 16; i++) {
      now.addAndGet(Duration.ofMillis(100).toNanos());
      assertThat(log.record(Status.UNAVAILABLE)).isFalse();
    }
    now.addAndGet(Duration.ofSeconds(10).toNanos());
    assertThat(log.record(Status.UNAVAILABLE)).isTrue();
    assertThat(log.record(Status.UNAVAILABLE)).isFalse();
  }
}
