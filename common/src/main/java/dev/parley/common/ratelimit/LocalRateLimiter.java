package dev.parley.common.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-process rate limiter for the single node. State per key is one number, the theoretical arrival
 * time (TAT) of the next event in nanoseconds of the clock; keys whose TAT has passed carry no
 * information and are purged when the map grows.
 */
public final class LocalRateLimiter implements RateLimiter {
  private static final int PURGE_THRESHOLD = 100_000;

  private final Clock clock;
  private final ConcurrentHashMap<String, Long> tat = new ConcurrentHashMap<>();

  public LocalRateLimiter(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Duration acquire(String key, Limit limit) {
    long now = nowMicros();
    long interval = limit.window().toNanos() / 1000 / limit.permits();
    long tolerance = limit.window().toNanos() / 1000 - interval;
    long[] wait = {0};
    tat.compute(
        key,
        (k, stored) -> {
          long t = stored == null ? now : Math.max(stored, now);
          if (t - now > tolerance) {
            wait[0] = t - tolerance - now;
            return stored;
          }
          return t + interval;
        });
    if (tat.size() > PURGE_THRESHOLD) purge(now);
    return wait[0] == 0 ? Duration.ZERO : Duration.ofNanos(wait[0] * 1000);
  }

  @Override
  public void reset(String key) {
    tat.remove(key);
  }

  private void purge(long now) {
    tat.entrySet().removeIf(e -> e.getValue() <= now);
  }

  private long nowMicros() {
    var instant = clock.instant();
    return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000;
  }
}
