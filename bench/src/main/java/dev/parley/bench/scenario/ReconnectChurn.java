package dev.parley.bench.scenario;

import dev.parley.bench.load.Device;
import dev.parley.bench.load.Fleet;
import dev.parley.bench.load.PhaseStats;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * S5's reconnects: every {@code every} a random online device disconnects cleanly, stays away for
 * {@code offline} and reconnects with a cursor sync. {@link #stop} starts no more and waits until
 * every device that left is back: the run's final sync, which only online devices take part in,
 * must miss nobody, or a message for a device still away would count as lost.
 */
final class ReconnectChurn {
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "bench-reconnects");
            t.setDaemon(true);
            return t;
          });

  /** One future per device away or on its way back; removed when it is back (or gave up). */
  private final Set<CompletableFuture<?>> away = ConcurrentHashMap.newKeySet();

  private final Fleet fleet;
  private final List<Device> devices;
  private final Duration offline;

  private ReconnectChurn(Fleet fleet, List<Device> devices, Duration offline) {
    this.fleet = fleet;
    this.devices = devices;
    this.offline = offline;
  }

  /** Starts the churn; with {@code every} zero or negative none happens. */
  static ReconnectChurn start(Fleet fleet, List<Device> devices, Duration every, Duration offline) {
    ReconnectChurn churn = new ReconnectChurn(fleet, devices, offline);
    long everyMs = every.toMillis();
    if (everyMs > 0)
      churn.timer.scheduleAtFixedRate(churn::cycleOne, everyMs, everyMs, TimeUnit.MILLISECONDS);
    return churn;
  }

  private void cycleOne() {
    Device d = devices.get(ThreadLocalRandom.current().nextInt(devices.size()));
    if (!d.acceptingSends()) return;
    CompletableFuture<?> back =
        d.disconnect(false)
            .thenComposeAsync(
                v -> d.connect(),
                CompletableFuture.delayedExecutor(offline.toMillis(), TimeUnit.MILLISECONDS))
            .whenComplete(
                (c, e) -> {
                  if (e != null) {
                    d.retryConnect(); // in the background, with back-off; a device still away at
                    // the end is not synced
                  } else {
                    fleet.counters().reconnects.increment();
                    PhaseStats.record(fleet.counters().catchUp, c.totalNanos());
                  }
                });
    away.add(back);
    back.whenComplete((c, e) -> away.remove(back));
  }

  /**
   * Starts no more reconnects and waits (at most {@code timeout}) until the devices away are back.
   */
  void stop(Duration timeout) throws InterruptedException {
    timer.shutdownNow();
    timer.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    try {
      CompletableFuture.allOf(away.toArray(CompletableFuture[]::new))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // A reconnect that failed or is late is counted where it happened (connect failures).
    }
  }
}
