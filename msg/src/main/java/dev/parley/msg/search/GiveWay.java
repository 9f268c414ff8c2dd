package dev.parley.msg.search;

import dev.parley.msg.core.log.SendPressure;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * When an indexer thread starts its next pass, and how large it may be, so that indexing gives way
 * to sends (design.md 14.4): while sends queue for the log writer ({@link SendPressure}) it starts
 * none, except one of at most {@link #BATCH_UNDER_PRESSURE} entries every {@link #MAX_YIELD}, so
 * that the index still moves under an overload that does not end.
 */
final class GiveWay {
  /** Under send pressure that does not end, a thread still starts a pass after this long. */
  static final Duration MAX_YIELD = Duration.ofSeconds(10);

  /** Entries a pass started under pressure applies, at most: a short transaction among sends'. */
  static final int BATCH_UNDER_PRESSURE = 100;

  /** How often a waiting thread looks again whether the pressure has ended. */
  static final Duration CHECK = Duration.ofMillis(50);

  /** Sleeps; tests pass one that moves their clock instead. */
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  /**
   * @param budget entries the pass may apply
   * @param waitedNanos how long the thread waited for it (0: not at all)
   */
  record Turn(int budget, long waitedNanos) {}

  private final SendPressure pressure;
  private final int fullBatch;
  private final LongSupplier ticker;
  private final Sleeper sleeper;

  GiveWay(SendPressure pressure, int fullBatch, LongSupplier ticker, Sleeper sleeper) {
    this.pressure = pressure;
    this.fullBatch = fullBatch;
    this.ticker = ticker;
    this.sleeper = sleeper;
  }

  /**
   * Waits while sends queue, until they no longer do or {@link #MAX_YIELD} has passed since {@code
   * lastPassNanos} (when the thread's last pass began); the pass that follows is a small one if
   * they still do.
   */
  Turn beforePass(long lastPassNanos) throws InterruptedException {
    long from = ticker.getAsLong();
    long waited = 0;
    while (pressure.high() && ticker.getAsLong() - lastPassNanos < MAX_YIELD.toNanos()) {
      sleeper.sleep(CHECK);
      waited = ticker.getAsLong() - from;
    }
    return new Turn(pressure.high() ? BATCH_UNDER_PRESSURE : fullBatch, waited);
  }
}
