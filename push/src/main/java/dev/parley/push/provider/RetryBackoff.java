package dev.parley.push.provider;

import java.time.Duration;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * When to try a push again after {@link PushOutcome.RetryLater}: for the caller that queues pushes.
 *
 * <p>Without a {@code Retry-After} the delay after the n-th failed attempt (n from 1) is uniformly
 * random in {@code [0, min(max, base * 2^(n-1))]} ("full jitter"): after a provider outage the
 * queued pushes of many devices come back spread over the window rather than in one wave that trips
 * the provider's rate limit again. With a {@code Retry-After} that delay is honoured as a floor,
 * plus up to 10% of it as jitter for the same reason; it is not capped by {@code max}, since
 * sending earlier only earns another 429.
 *
 * <p>Stateless and thread-safe if the random generator is.
 */
public final class RetryBackoff {
  private final Duration base;
  private final Duration max;
  private final RandomGenerator random;

  public RetryBackoff(Duration base, Duration max, RandomGenerator random) {
    if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
      throw new IllegalArgumentException("need 0 < base <= max, got " + base + ", " + max);
    }
    this.base = base;
    this.max = max;
    this.random = random;
  }

  /**
   * @param attempt how many attempts have failed so far (1 after the first failure)
   * @param retryAfter what the provider asked for, or null
   */
  public Duration delay(int attempt, @Nullable Duration retryAfter) {
    if (attempt < 1) throw new IllegalArgumentException("attempt < 1: " + attempt);
    if (retryAfter != null) {
      long floor = retryAfter.toMillis();
      return Duration.ofMillis(floor + random.nextLong(floor / 10 + 1));
    }
    return Duration.ofMillis(random.nextLong(ceiling(attempt).toMillis() + 1));
  }

  /** The upper bound of the delay after {@code attempt} failures without a Retry-After. */
  public Duration ceiling(int attempt) {
    long baseMillis = base.toMillis();
    int doublings = attempt - 1;
    // baseMillis << doublings overflows once doublings reaches baseMillis's leading zeros.
    if (doublings >= Long.numberOfLeadingZeros(baseMillis) - 1) return max;
    return Duration.ofMillis(Math.min(max.toMillis(), baseMillis << doublings));
  }
}
