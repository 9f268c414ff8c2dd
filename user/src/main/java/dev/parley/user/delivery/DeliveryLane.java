package dev.parley.user.delivery;

import dev.parley.user.BoundedPools;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One delivery channel: its sender, its bounded executor and what we know of its provider's health.
 *
 * <p>The provider is <em>known down</em> after {@value #FAILURES_TO_DOWN} failed sends in a row
 * with no success since. While down, new codes are refused, except that one request every {@link
 * #PROBE_INTERVAL} is let through: its send is the probe whose success ends the outage.
 */
final class DeliveryLane implements AutoCloseable {
  static final int FAILURES_TO_DOWN = 3;
  static final Duration PROBE_INTERVAL = Duration.ofSeconds(30);

  private final CodeSender sender;
  private final ThreadPoolExecutor executor;
  private final Clock clock;
  private final AtomicInteger failuresInARow = new AtomicInteger();
  private volatile Instant lastFailure = Instant.MIN;
  private volatile Instant lastProbe = Instant.MIN;

  DeliveryLane(String channel, CodeSender sender, int threads, int queue, Clock clock) {
    this.sender = sender;
    this.clock = clock;
    this.executor =
        BoundedPools.fixed(
            "parley-code-" + channel + "-", threads, new ArrayBlockingQueue<>(queue));
  }

  CodeSender sender() {
    return sender;
  }

  void execute(Runnable send) {
    executor.execute(send);
  }

  boolean full() {
    return executor.getQueue().remainingCapacity() == 0;
  }

  /** Down, unless it is time to let one request through as a probe (which this call then is). */
  synchronized boolean knownDown() {
    if (failuresInARow.get() < FAILURES_TO_DOWN) return false;
    Instant now = clock.instant();
    Instant since = lastFailure.isAfter(lastProbe) ? lastFailure : lastProbe;
    if (!now.isBefore(since.plus(PROBE_INTERVAL))) {
      lastProbe = now;
      return false;
    }
    return true;
  }

  void succeeded() {
    failuresInARow.set(0);
  }

  void failed() {
    lastFailure = clock.instant();
    failuresInARow.incrementAndGet();
  }

  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) executor.shutdownNow();
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
