package dev.parley.msg.search;

import java.time.Duration;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * How long an indexer thread lets wake-ups gather before its next pass (design.md 14.4, "Passes
 * gather"). Every pass pays the same fixed costs whatever it carries: a transaction, the lock of
 * its positions, the read-back of the entries, the positions' update, each one statement with its
 * round trip, plus the commit. Woken by every append, a thread under a steady stream of sends made
 * passes of a handful of entries (8 at 1,600 msg/s: 11,600 passes a minute), and those fixed costs
 * weighed as much as the index rows themselves. So a thread that has just made a pass waits until
 * {@code window} has passed since that pass started before it makes the next one, and the next one
 * carries everything that arrived meanwhile.
 *
 * <p>It does not wait when there is no stream to gather from (the thread's last pass is longer ago
 * than the window: a message after a quiet spell is indexed at once), nor when the work is already
 * there: the last pass left some of its conversations' entries for later (catching up, a reindex),
 * or a full pass of conversations is waiting. A message is findable at most about one window later
 * than without it, well within the one second the issue allows.
 */
final class Gathering {
  private final long windowNanos;
  private final int enough;
  private final LongSupplier ticker;
  private final GiveWay.Sleeper sleeper;

  /**
   * @param window how long a stream of wake-ups is gathered; zero: never
   * @param enough conversations waiting that make a pass worth starting at once
   */
  Gathering(Duration window, int enough, LongSupplier ticker, GiveWay.Sleeper sleeper) {
    this.windowNanos = window.toNanos();
    this.enough = enough;
    this.ticker = ticker;
    this.sleeper = sleeper;
  }

  /**
   * Waits, when the thread should, until the window since its last pass started is over.
   *
   * @param lastPassStartNanos when the thread's last pass started ({@link LongSupplier ticker}
   *     time)
   * @param lastPassLeftWork whether that pass left work it could have done with a larger budget
   * @param waiting how many conversations wait in the queue now
   * @return how long the thread waited (0: not at all)
   */
  long beforePass(long lastPassStartNanos, boolean lastPassLeftWork, IntSupplier waiting)
      throws InterruptedException {
    if (windowNanos == 0 || lastPassLeftWork) return 0;
    long now = ticker.getAsLong();
    long left = lastPassStartNanos + windowNanos - now;
    if (left <= 0 || waiting.getAsInt() >= enough) return 0;
    // One sleep, not a wait on the queue: being woken for every append would cost the CPU this is
    // meant to save.
    sleeper.sleep(Duration.ofNanos(left));
    return ticker.getAsLong() - now;
  }
}
