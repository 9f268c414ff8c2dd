package dev.parley.client;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Reconnect delays: exponential back-off with full jitter. After the n-th consecutive failure (n
 * from 0) the delay is uniformly random in {@code [0, min(max, base * 2^n)]}. Full jitter (rather
 * than a fixed delay plus a little noise) spreads the clients of a restarted gateway evenly over
 * the window instead of letting them return in waves.
 *
 * <p>The failure count restarts once a connection has stayed up for {@code resetAfter}: a
 * connection that dies right after it came up (a server that accepts and then fails) keeps backing
 * off.
 *
 * <p>Not thread-safe: a connection uses it from its control thread only.
 */
final class Backoff {
  private final long baseNanos;
  private final long maxNanos;
  private final long resetAfterNanos;
  private final RandomGenerator random;
  private final LongSupplier nanoTime;

  private int failures;
  private boolean connected;
  private long connectedAtNanos;

  Backoff(
      Duration base,
      Duration max,
      Duration resetAfter,
      RandomGenerator random,
      LongSupplier nanoTime) {
    if (base.isNegative() || base.isZero() || max.compareTo(base) < 0 || resetAfter.isNegative()) {
      throw new IllegalArgumentException(
          "need 0 < base <= max and resetAfter >= 0, got " + base + ", " + max + ", " + resetAfter);
    }
    this.baseNanos = base.toNanos();
    this.maxNanos = max.toNanos();
    this.resetAfterNanos = resetAfter.toNanos();
    this.random = random;
    this.nanoTime = nanoTime;
  }

  /**
   * A connection came up; if it stays up for {@code resetAfter}, the next delay starts from
   * scratch.
   */
  void connected() {
    connected = true;
    connectedAtNanos = nanoTime.getAsLong();
  }

  /** The delay before the next attempt; counts one more failure. */
  Duration nextDelay() {
    if (connected && nanoTime.getAsLong() - connectedAtNanos >= resetAfterNanos) {
      failures = 0;
    }
    connected = false;
    long ceiling = ceilingNanos(failures);
    if (failures < Integer.MAX_VALUE) {
      failures++;
    }
    return Duration.ofNanos(random.nextLong(ceiling + 1));
  }

  /** Forgets past failures. */
  void reset() {
    failures = 0;
    connected = false;
  }

  /** The upper bound of the delay after {@code failures} consecutive failures. */
  long ceilingNanos(int failures) {
    // base << failures overflows once failures reaches the number of leading zeros of base.
    if (failures >= Long.numberOfLeadingZeros(baseNanos) - 1) {
      return maxNanos;
    }
    return Math.min(maxNanos, baseNanos << failures);
  }

  int failures() {
    return failures;
  }
}
