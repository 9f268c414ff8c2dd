package dev.parley.common.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SnowflakeTest {
  private final AtomicLong now = new AtomicLong(Snowflake.EPOCH_MS + 1_000_000);
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return Instant.ofEpochMilli(now.get());
        }
      };

  @Test
  void idsAreUniqueAndIncreasingWithinAndAcrossMilliseconds() {
    Snowflake ids = new Snowflake(5, clock);
    Set<Long> seen = new HashSet<>();
    long last = 0;
    for (int i = 0; i < 10_000; i++) { // more than 4096 per millisecond: spills into the next one
      long id = ids.next();
      assertThat(id).isGreaterThan(last);
      assertThat(seen.add(id)).isTrue();
      assertThat(Snowflake.workerId(id)).isEqualTo(5);
      last = id;
    }
  }

  @Test
  void aClockStepBackwardsNeverRepeatsAnId() {
    Snowflake ids = new Snowflake(1, clock);
    long before = ids.next();
    now.addAndGet(-5_000);
    assertThat(ids.next()).isGreaterThan(before);
  }

  @Test
  void timestampIsRecoverable() {
    Snowflake ids = new Snowflake(0, clock);
    assertThat(Snowflake.timestampMs(ids.next())).isEqualTo(now.get());
  }

  @Test
  void workerIdIsBounded() {
    assertThatThrownBy(() -> new Snowflake(1024, clock))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
