package dev.parley.msg.search;

import dev.parley.common.error.ParleyException;
import dev.parley.proto.client.Error.Reason;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * How many message searches a msg process runs at once (design.md 14.3, "Searches take turns").
 *
 * <p>Why: requests are served on virtual threads without a bound, and a search over a large history
 * holds a PostgreSQL backend and a core for tens of milliseconds. Unbounded, a burst of searches (a
 * client polling, many users typing at once) took both cores of a small node: sends queued behind
 * them, and the search indexer, seeing sends queue, gave way, so the messages the searches were
 * looking for did not become findable. Here at most {@code running} searches run and at most {@link
 * #WAITING} per running one wait their turn, for at most {@link #MAX_WAIT}; beyond that a search is
 * refused at once with UNAVAILABLE (retry after a second). A search storm then costs searches
 * latency, not everybody else's sends.
 */
public final class SearchGate {
  /** Searches that may wait per one that may run. */
  static final int WAITING = 16;

  /** How long a search waits for its turn before it is refused. */
  static final Duration MAX_WAIT = Duration.ofSeconds(5);

  static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  private final Semaphore running;
  // Admission, separate from the turn: a bound on how many virtual threads wait at all.
  private final Semaphore admitted;
  private final Duration maxWait;
  private final Runnable onRefused;

  /**
   * @param running searches that run at once ({@code msg.search.concurrency})
   * @param onRefused called for each refused search (a metric)
   */
  public SearchGate(int running, Runnable onRefused) {
    this(running, running * WAITING, MAX_WAIT, onRefused);
  }

  SearchGate(int running, int waiting, Duration maxWait, Runnable onRefused) {
    if (running < 1) throw new IllegalArgumentException("running must be at least 1: " + running);
    this.running = new Semaphore(running, true);
    this.admitted = new Semaphore(running + waiting);
    this.maxWait = maxWait;
    this.onRefused = onRefused;
  }

  /**
   * Runs {@code search} when its turn comes; UNAVAILABLE when too many wait or the wait is long.
   */
  public <T> T run(Supplier<T> search) {
    if (!admitted.tryAcquire()) throw refused();
    try {
      if (!running.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS)) throw refused();
      try {
        return search.get();
      } finally {
        running.release();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw refused();
    } finally {
      admitted.release();
    }
  }

  private ParleyException refused() {
    onRefused.run();
    return new ParleyException(
        Reason.UNAVAILABLE, "Too many searches in progress; try again shortly", "", RETRY_AFTER);
  }
}
