package dev.parley.client;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The counts behind {@link SyncStats}: those of the running catch-up or gap repair (a
 * <em>run</em>), and those since the messenger was attached. Written on the sync executor only; the
 * totals are published through a volatile snapshot for readers on other threads.
 */
final class SyncCounters {

  /** Counters of one run, or of everything. */
  static final class Tally {
    long getState;
    long getConversations;
    long getDifference;
    long getHistory;
    long syncGroups;
    long updates;
    long duplicates;
    long gaps;
    boolean rebuilt;

    SyncStats stats() {
      return new SyncStats(
          getState,
          getConversations,
          getDifference,
          getHistory,
          syncGroups,
          updates,
          duplicates,
          gaps,
          rebuilt);
    }
  }

  private final Tally totals = new Tally();
  private @Nullable Tally run; // null between runs
  private volatile SyncStats totalStats = SyncStats.NONE;

  /** Starts counting a run (a catch-up or a gap repair), forgetting an unfinished one. */
  void beginRun() {
    run = new Tally();
  }

  /** Ends the run and returns what it counted. */
  SyncStats endRun() {
    SyncStats stats = run == null ? SyncStats.NONE : run.stats();
    run = null;
    return stats;
  }

  /** Ends the run without a result (it failed). */
  void abandonRun() {
    run = null;
  }

  void count(Consumer<Tally> counter) {
    if (run != null) {
      counter.accept(run);
    }
    counter.accept(totals);
    totalStats = totals.stats();
  }

  /** Counts a request of the sync and waits for its answer; fails as the request does. */
  <T> T await(CompletableFuture<T> request, Consumer<Tally> counter) {
    count(counter);
    return Futures.await(request);
  }

  /** Everything since the messenger was attached; any thread. */
  SyncStats totals() {
    return totalStats;
  }
}
