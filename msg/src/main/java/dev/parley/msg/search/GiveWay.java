package dev.parley.msg.search;

import dev.parley.msg.core.log.SendPressure;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * When an indexer thread starts its next pass, and how large it may be, so that indexing gives way
 * to sends (design.md 14.4): while sends queue for the log writer ({@link SendPressure}) a thread
 * keeps to a duty cycle. After each pass it rests {@link #REST_PER_PASS} times as long as the pass
 * took (at least {@link #MIN_REST}), and the next pass applies at most {@link
 * #BATCH_UNDER_PRESSURE} entries: indexing takes at most about a quarter of the thread's time, in
 * short transactions among the sends', and the index still moves at a fraction of its full speed (a
 * stop, the first version, left messages unfindable for as long as any load made sends wait). Once
 * the pressure ends the thread starts at once and catches up at full speed.
 *
 * <p>Giving way has a limit ({@code msg.search.indexer-yield-at-most}): once the indexer's passes
 * have left work behind for that long without a break, it no longer rests, whatever the pressure,
 * until a pass takes all there is. Under a load that keeps sends waiting for minutes (heavy search
 * traffic, a peak that does not end) the index then trails by about that long, not by ever more.
 */
final class GiveWay {
  /** Under pressure, a thread rests this many times as long as its last pass took. */
  static final int REST_PER_PASS = 3;

  /** The shortest rest under pressure: lets a few wake-ups gather, so passes are not tiny. */
  static final Duration MIN_REST = Duration.ofMillis(50);

  /** Entries a pass started under pressure applies, at most: a short transaction among sends'. */
  static final int BATCH_UNDER_PRESSURE = 100;

  /** How often a resting thread looks again whether the pressure has ended. */
  static final Duration CHECK = Duration.ofMillis(20);

  /** Sleeps; tests pass one that moves their clock instead. */
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  /**
   * @param budget entries the pass may apply
   * @param waitedNanos how long the thread rested for it (0: not at all)
   */
  record Turn(int budget, long waitedNanos) {}

  private final SendPressure pressure;
  private final int fullBatch;
  private final long atMostNanos;
  private final LongSupplier ticker;
  private final Sleeper sleeper;

  /** Whether the last pass (of any thread) left work; since when passes have without a break. */
  private boolean trailing;

  private long trailingSinceNanos;

  /**
   * @param atMost after the passes have left work behind for this long, the indexer stops giving
   *     way until it has caught up
   */
  GiveWay(
      SendPressure pressure, int fullBatch, Duration atMost, LongSupplier ticker, Sleeper sleeper) {
    this.pressure = pressure;
    this.fullBatch = fullBatch;
    this.atMostNanos = atMost.toNanos();
    this.ticker = ticker;
    this.sleeper = sleeper;
  }

  /**
   * A pass ended at {@code endNanos}; {@code leftWork}: its budget, not the work, ended it (so the
   * index still trails).
   */
  synchronized void afterPass(boolean leftWork, long endNanos) {
    if (!leftWork) trailing = false;
    else if (!trailing) {
      trailing = true;
      trailingSinceNanos = endNanos;
    }
  }

  /** Whether the passes have left work behind for {@code atMost} or longer. */
  private synchronized boolean trailedTooLong(long now) {
    return trailing && now - trailingSinceNanos >= atMostNanos;
  }

  /**
   * Rests while sends queue, until they no longer do or the rest that the thread's last pass earned
   * is over; the pass that follows is a small one if they still do. Neither, once the index has
   * trailed for the limit.
   *
   * @param lastPassEndNanos when the thread's last pass ended ({@link LongSupplier ticker} time)
   * @param lastPassNanos how long that pass took
   */
  Turn beforePass(long lastPassEndNanos, long lastPassNanos) throws InterruptedException {
    long from = ticker.getAsLong();
    if (trailedTooLong(from)) return new Turn(fullBatch, 0);
    long restUntil = lastPassEndNanos + Math.max(REST_PER_PASS * lastPassNanos, MIN_REST.toNanos());
    long waited = 0;
    for (long now = from; pressure.high() && now - restUntil < 0; now = ticker.getAsLong()) {
      sleeper.sleep(Duration.ofNanos(Math.min(CHECK.toNanos(), restUntil - now)));
      waited = ticker.getAsLong() - from;
    }
    return new Turn(pressure.high() ? BATCH_UNDER_PRESSURE : fullBatch, waited);
  }
}
