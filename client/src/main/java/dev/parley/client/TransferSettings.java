package dev.parley.client;

import java.time.Duration;

/**
 * How {@link FileTransfers} retries.
 *
 * @param attempts tries per presigned request (and per file operation dropped with the connection),
 *     the first included
 * @param backoffBase first delay ceiling between tries; doubles per failure, full jitter
 * @param backoffMax largest delay ceiling
 * @param requestTimeout how long one presigned request may take before it counts as failed (a part
 *     of 8 MiB on a slow link needs a generous value)
 */
public record TransferSettings(
    int attempts, Duration backoffBase, Duration backoffMax, Duration requestTimeout) {
  public static final TransferSettings DEFAULT =
      new TransferSettings(6, Duration.ofMillis(250), Duration.ofSeconds(8), Duration.ofMinutes(5));

  public TransferSettings {
    if (attempts < 1) throw new IllegalArgumentException("attempts must be at least 1");
    if (backoffBase.isNegative()
        || backoffBase.isZero()
        || backoffMax.compareTo(backoffBase) < 0
        || requestTimeout.isNegative()
        || requestTimeout.isZero()) {
      throw new IllegalArgumentException(
          "need 0 < backoffBase <= backoffMax and requestTimeout > 0: " + this);
    }
  }

  Backoff newBackoff() {
    return new Backoff(
        backoffBase,
        backoffMax,
        Duration.ZERO,
        java.util.random.RandomGenerator.getDefault(),
        System::nanoTime);
  }
}
