package dev.parley.bench.load;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The open-loop schedule: event k is due at {@code start + k / rate}, whatever happened to the
 * events before it. The pacer never waits for an answer before dispatching the next event, so a
 * slow server cannot slow the offered load down ("coordinated omission"): the messages it delays
 * pile up, and since every latency is measured from the <em>intended</em> time {@code start + k /
 * rate}, not from when the bench got round to sending, the delay shows up in the numbers instead of
 * being hidden.
 *
 * <p>The pacer thread only computes due times and hands each event to its connection's event loop;
 * the socket write happens there. If the bench itself falls behind (the pacer or an event loop is
 * late), the lag is part of every latency too, and the send-lag histogram (intended time → written)
 * tells how much of it was the bench's.
 */
public final class OpenLoopPacer {
  /**
   * Hands event {@code k}, intended at {@code intendedNanos}, to whoever sends it. Must not block.
   */
  @FunctionalInterface
  public interface Dispatch {
    void dispatch(long k, long intendedNanos);
  }

  private OpenLoopPacer() {}

  /** When event {@code k} is due. */
  public static long intended(long startNanos, long k, double ratePerSecond) {
    return startNanos + (long) (k * 1e9 / ratePerSecond);
  }

  /**
   * Dispatches events on the schedule until {@code duration} has passed (events due at or after the
   * end are not sent), {@code maxCount} events were dispatched, or {@code stop} says so. Runs on
   * the calling thread; returns the number of events dispatched.
   */
  public static long run(
      double ratePerSecond,
      long startNanos,
      Duration duration,
      long maxCount,
      Dispatch dispatch,
      BooleanSupplier stop) {
    if (ratePerSecond <= 0) throw new IllegalArgumentException("rate must be positive");
    long end = startNanos + duration.toNanos();
    long k = 0;
    while (k < maxCount) {
      long due = intended(startNanos, k, ratePerSecond);
      if (due - end >= 0) break;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        if (stop.getAsBoolean()) break;
        LockSupport.parkNanos(Math.min(wait, 100_000_000L));
        continue;
      }
      dispatch.dispatch(k, due);
      k++;
    }
    return k;
  }
}
