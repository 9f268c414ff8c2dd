package dev.parley.common.id;

import java.time.Clock;

/**
 * 64-bit ids that sort by creation time: 41 bits of milliseconds since {@link #EPOCH_MS}, 10 bits
 * of worker id, 12 bits of sequence within the millisecond. Unique as long as no two live processes
 * share a worker id (configuration: {@code node.worker-id}).
 *
 * <p>If the clock steps backwards, the generator keeps issuing ids from the last timestamp it used
 * (its sequence borrows from the future) instead of repeating ids or failing.
 */
public final class Snowflake {
  /** 2025-01-01T00:00:00Z: 41 bits of milliseconds last until 2094. */
  public static final long EPOCH_MS = 1_735_689_600_000L;

  public static final int MAX_WORKER_ID = (1 << 10) - 1;
  private static final int SEQUENCE_BITS = 12;
  private static final long SEQUENCE_MASK = (1L << SEQUENCE_BITS) - 1;

  private final Clock clock;
  private final long workerId;
  private long lastMs = -1;
  private long sequence;

  public Snowflake(int workerId, Clock clock) {
    if (workerId < 0 || workerId > MAX_WORKER_ID) {
      throw new IllegalArgumentException(
          "worker id must be in 0.." + MAX_WORKER_ID + ": " + workerId);
    }
    this.workerId = workerId;
    this.clock = clock;
  }

  public synchronized long next() {
    long now = clock.millis() - EPOCH_MS;
    if (now > lastMs) {
      lastMs = now;
      sequence = 0;
    } else if (++sequence > SEQUENCE_MASK) {
      // Sequence exhausted in this millisecond (or the clock went back): move to the next
      // millisecond.
      lastMs++;
      sequence = 0;
    }
    return (lastMs << 22) | (workerId << SEQUENCE_BITS) | sequence;
  }

  /** Milliseconds since the Unix epoch at which the id was made. */
  public static long timestampMs(long id) {
    return (id >>> 22) + EPOCH_MS;
  }

  public static int workerId(long id) {
    return (int) ((id >>> SEQUENCE_BITS) & MAX_WORKER_ID);
  }
}
