package dev.parley.common.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.ratelimit.RateLimiter.Limit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LocalRateLimiterTest {
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
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
          return now;
        }
      };

  @Test
  void allowsABurstThenRefillsEvenly() {
    LocalRateLimiter limiter = new LocalRateLimiter(clock);
    Limit limit = new Limit(5, Duration.ofMinutes(5)); // one permit per minute, burst of 5
    for (int i = 0; i < 5; i++) assertThat(limiter.acquire("k", limit)).isZero();
    Duration wait = limiter.acquire("k", limit);
    assertThat(wait).isEqualTo(Duration.ofMinutes(1));
    now = now.plus(Duration.ofSeconds(59));
    assertThat(limiter.acquire("k", limit)).isPositive();
    now = now.plus(Duration.ofSeconds(1));
    assertThat(limiter.acquire("k", limit)).isZero();
    assertThat(limiter.acquire("k", limit)).isPositive();
  }

  @Test
  void keysAreIndependentAndResettable() {
    LocalRateLimiter limiter = new LocalRateLimiter(clock);
    Limit one = new Limit(1, Duration.ofHours(1));
    assertThat(limiter.acquire("a", one)).isZero();
    assertThat(limiter.acquire("a", one)).isPositive();
    assertThat(limiter.acquire("b", one)).isZero();
    limiter.reset("a");
    assertThat(limiter.acquire("a", one)).isZero();
  }
}
