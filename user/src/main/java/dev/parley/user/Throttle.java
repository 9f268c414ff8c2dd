package dev.parley.user;

import dev.parley.common.error.ParleyException;
import dev.parley.common.ratelimit.RateLimiter;
import dev.parley.common.ratelimit.RateLimiter.Limit;
import dev.parley.proto.client.Error.Reason;
import java.time.Duration;

/**
 * The service's rate limits, turned into RATE_LIMITED errors. Keys are {@code
 * user:<what>:<scope>:<value>} so that they cannot collide with other services sharing the limiter.
 */
public final class Throttle {
  private final RateLimiter limiter;

  public Throttle(RateLimiter limiter) {
    this.limiter = limiter;
  }

  /** Takes a permit or throws RATE_LIMITED with the wait. */
  public void acquire(String key, Limit limit) {
    Duration wait = limiter.acquire("user:" + key, limit);
    if (!wait.isZero()) {
      throw ParleyException.rateLimited(
          Reason.RATE_LIMITED, "Too many requests; try again later", roundUp(wait));
    }
  }

  /**
   * Per-IP limits are skipped when the gateway did not tell the address: lumping every such caller
   * into one bucket would let one client lock out all the others.
   */
  public void acquirePerIp(String what, String ip, Limit limit) {
    if (ip != null && !ip.isEmpty()) acquire(what + ":ip:" + ip, limit);
  }

  public void reset(String key) {
    limiter.reset("user:" + key);
  }

  private static Duration roundUp(Duration wait) {
    return Duration.ofMillis(Math.max(1, (wait.toNanos() + 999_999) / 1_000_000));
  }
}
