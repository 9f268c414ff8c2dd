package dev.parley.msg.core.log;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Whether sends are queueing for the {@link LogWriter}: the signal on which background work that
 * shares its database (the search indexer) gives way to them (design.md 14.4).
 *
 * <p>The writer notes, for each batch it takes, how long the batch's oldest command waited for it.
 * When those waits average at least the threshold over a {@link #WINDOW}, every writer was busy for
 * that long, which on a machine whose database is its bottleneck (the WAL flush, the CPU) is the
 * sign of saturation. The pressure then stays high for {@link #HOLD}. An average, not a single
 * wait: one slow transaction or GC pause at a moderate rate is not saturation, and measured at
 * 1,200–2,000 msg/s such single waits passed 50 ms every second or two while the average stayed at
 * 5–10 ms.
 */
public final class SendPressure {
  /** The waits of this long are averaged. */
  static final Duration WINDOW = Duration.ofMillis(250);

  /**
   * How long a window whose average reached the threshold keeps the pressure high, so that one
   * quiet window in a busy second does not release it. (Holding 3 s, with a 30 ms threshold, gave
   * no more S1 throughput, and gave way already at 1,200 msg/s: benchmarks.md, "S8 at the full
   * size".)
   */
  static final Duration HOLD = Duration.ofSeconds(1);

  private final long thresholdNanos;
  private final LongSupplier ticker;
  private long windowStartNanos;
  private long windowSumNanos;
  private long windowCount;
  private long highUntilNanos;

  /**
   * @param threshold batches' oldest commands waiting this long on average over a window make the
   *     pressure high; zero: never high ({@code msg.search.indexer-yield-above: 0})
   * @param ticker monotonic nanoseconds (System::nanoTime; tests pass their own)
   */
  public SendPressure(Duration threshold, LongSupplier ticker) {
    this.thresholdNanos = threshold.toNanos();
    this.ticker = ticker;
    long now = ticker.getAsLong();
    this.windowStartNanos = now;
    this.highUntilNanos = now;
  }

  /** Pressure that is never high. */
  public static SendPressure none() {
    return new SendPressure(Duration.ZERO, System::nanoTime);
  }

  /** A writer took a batch whose oldest command had waited {@code waitNanos}. */
  public void waited(long waitNanos) {
    if (thresholdNanos <= 0) return; // off (the default): no lock on the writer's path
    synchronized (this) {
      closeWindowIfDue(ticker.getAsLong());
      windowSumNanos += waitNanos;
      windowCount++;
    }
  }

  /** Whether a window's average wait reached the threshold within the last {@link #HOLD}. */
  public boolean high() {
    if (thresholdNanos <= 0) return false;
    synchronized (this) {
      long now = ticker.getAsLong();
      closeWindowIfDue(now);
      return now - highUntilNanos < 0;
    }
  }

  private void closeWindowIfDue(long now) {
    if (now - windowStartNanos < WINDOW.toNanos()) return;
    if (windowCount > 0 && windowSumNanos / windowCount >= thresholdNanos)
      highUntilNanos = now + HOLD.toNanos();
    windowStartNanos = now;
    windowSumNanos = 0;
    windowCount = 0;
  }
}
