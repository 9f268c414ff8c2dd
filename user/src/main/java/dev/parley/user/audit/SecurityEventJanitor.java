package dev.parley.user.audit;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention of security events: deletes those older than user.security-events.retention in batches,
 * so no transaction holds many locks. Every instance of a cluster runs it; the deletes are
 * idempotent.
 */
public final class SecurityEventJanitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SecurityEventJanitor.class);
  private static final int BATCH = 5_000;

  private final SecurityLog events;
  private final Duration retention;
  private final Clock clock;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("user-security-janitor").unstarted(r));

  public SecurityEventJanitor(SecurityLog events, Duration retention, Clock clock) {
    this.events = events;
    this.retention = retention;
    this.clock = clock;
  }

  public void start(Duration every) {
    timer.scheduleWithFixedDelay(
        this::runSafely, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void runSafely() {
    try {
      run();
    } catch (RuntimeException e) {
      log.warn("Security event retention run failed; will retry", e);
    }
  }

  /** One full pass; returns the number of events deleted. */
  public int run() {
    var cutoff = clock.instant().minus(retention);
    int deleted = 0;
    int n;
    do {
      n = events.prune(cutoff, BATCH);
      deleted += n;
    } while (n == BATCH);
    return deleted;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
