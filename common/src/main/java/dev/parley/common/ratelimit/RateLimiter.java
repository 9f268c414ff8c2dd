package dev.parley.common.ratelimit;

import java.time.Duration;

/**
 * Limits how often something may happen per key (an identifier, an IP, a user). Implementations use
 * the generic cell-rate algorithm: a burst of {@code permits} is allowed, refilling evenly over
 * {@code window}.
 */
public interface RateLimiter {
  /**
   * Takes one permit for the key.
   *
   * @return {@link Duration#ZERO} when allowed; otherwise how long until a permit becomes available
   *     (nothing is taken then)
   */
  Duration acquire(String key, Limit limit);

  /** Forgets the key (e.g. failed-login counter after a successful login). */
  void reset(String key);

  /** {@code permits} events per {@code window}. */
  record Limit(int permits, Duration window) {
    public Limit {
      if (permits < 1) throw new IllegalArgumentException("permits must be >= 1");
      if (window.isNegative() || window.isZero())
        throw new IllegalArgumentException("window must be > 0");
    }
  }
}
