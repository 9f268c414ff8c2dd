package dev.parley.common.grpc;

import io.grpc.Status;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs gRPC calls that broke on the way (no answer came from the service: the peer died, the
 * connection was reset, the deadline passed), once per burst. When an instance dies, every call in
 * flight to it breaks at the same moment; one line with the first status and, on the next line, how
 * many followed, says as much as hundreds of lines would, and keeps a dying peer from flooding the
 * caller's log.
 *
 * <p>A burst starts with a break logged at once; the breaks of the next {@code window} are only
 * counted, and the first break after it logs again, with that count.
 */
final class BrokenCallLog {
  private final Logger log;
  private final Duration window;
  private final LongSupplier nanoTime;
  private boolean logged;
  private long loggedAt;
  private long silenced;

  BrokenCallLog(Logger log, Duration window, LongSupplier nanoTime) {
    this.log = log;
    this.window = window;
    this.nanoTime = nanoTime;
  }

  /** Records one broken call; returns whether it was logged (the first of its burst). */
  boolean record(Status status) {
    long since;
    synchronized (this) {
      long now = nanoTime.getAsLong();
      if (logged && now - loggedAt < window.toNanos()) {
        silenced++;
        return false;
      }
      logged = true;
      loggedAt = now;
      since = silenced;
      silenced = 0;
    }
    log.warn(
        "A service call broke without an answer ({}: {}); answered UNAVAILABLE (retryable). "
            + "Calls broken since the previous report and not logged: {}",
        status.getCode(),
        status.getDescription(),
        since,
        status.getCause());
    return true;
  }
}
