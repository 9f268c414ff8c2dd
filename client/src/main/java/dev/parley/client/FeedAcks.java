package dev.parley.client;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acknowledges the applied pts ({@code ack}, the device's delivery cursor on the server): at most
 * once per ack interval while live updates flow ({@link #soon}), and at once after each difference
 * loop ({@link #now}). An ack never goes backwards; a failed ack is simply superseded by the next
 * one. Sync executor only.
 */
final class FeedAcks {
  private static final Logger log = LoggerFactory.getLogger(FeedAcks.class);

  private final Connection connection;
  private final SyncStore store;
  private final Duration interval;
  private final ScheduledExecutorService timer;
  private final Executor executor;

  private @Nullable ScheduledFuture<?> ackTimer;
  private boolean inFlight;
  private boolean
      wanted; // now() found an ack in flight: ack again when it completes, even if it failed
  private long ackedPts;
  private long lastAckNanos = System.nanoTime() - Duration.ofDays(1).toNanos();
  private boolean stopped;

  FeedAcks(Connection connection, SyncStore store, Duration interval, Executor executor) {
    this.connection = connection;
    this.store = store;
    this.interval = interval;
    this.timer = connection.resources().timer();
    this.executor = executor;
  }

  /** Acks the applied pts, at most once per ack interval. */
  void soon() {
    long pts = store.pts().orElse(0);
    if (pts <= ackedPts || inFlight || ackTimer != null) {
      return;
    }
    long wait = lastAckNanos + interval.toNanos() - System.nanoTime();
    ackTimer =
        timer.schedule(() -> executor.execute(this::send), Math.max(0, wait), TimeUnit.NANOSECONDS);
  }

  /** Acks the applied pts now, or as soon as the ack in flight completes. */
  void now() {
    cancelTimer();
    if (inFlight) {
      wanted = true;
    } else {
      send();
    }
  }

  void stop() {
    stopped = true;
    cancelTimer();
  }

  private void send() {
    ackTimer = null;
    long pts = store.pts().orElse(0);
    if (stopped || inFlight || pts <= ackedPts) {
      return;
    }
    inFlight = true;
    lastAckNanos = System.nanoTime();
    connection
        .ack(pts)
        .whenCompleteAsync(
            (response, error) -> {
              inFlight = false;
              boolean again = wanted;
              wanted = false;
              if (error == null) {
                ackedPts = Math.max(ackedPts, pts);
              } else {
                log.debug(
                    "{}: ack {} failed: {}",
                    connection.name(),
                    pts,
                    Futures.unwrap(error).toString());
              }
              if (error == null || again) { // else the next applied update or catch-up acks again
                soon();
              }
            },
            executor);
  }

  private void cancelTimer() {
    if (ackTimer != null) {
      ackTimer.cancel(false);
      ackTimer = null;
    }
  }
}
