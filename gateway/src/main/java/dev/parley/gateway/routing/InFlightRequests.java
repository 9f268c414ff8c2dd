package dev.parley.gateway.routing;

import java.time.Duration;

/**
 * Counts service calls the gateway has started and not yet answered, across all connections and the
 * HTTP API, so that shutdown can wait for them. Thread-safe; begin/end are one monitor enter each,
 * far cheaper than the call they bracket.
 */
public final class InFlightRequests {
  private int count;

  public synchronized void begin() {
    count++;
  }

  public synchronized void end() {
    if (--count == 0) notifyAll();
  }

  public synchronized int count() {
    return count;
  }

  /** Waits until no call is in flight or the timeout passes; returns whether none is left. */
  public synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (count > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) return false;
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }
}
