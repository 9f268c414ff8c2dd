package dev.parley.push.queue;

import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * Which jobs of one Kafka partition are still unfinished, and so how far its offset may be
 * committed.
 *
 * <p>Invariant: the committable offset is the oldest unfinished job's offset, or the offset after
 * the last job handed out when none is unfinished. Committing it means a new owner of the partition
 * starts at the oldest unfinished job: every unfinished job is replayed, and the finished ones
 * after it are replayed too (harmless: a repeated alert replaces itself by its collapse id). Jobs
 * are handed out in offset order; they may finish in any order and on any thread.
 *
 * <p>One instance lives for one assignment of the partition: once {@link #revoke() revoked} (the
 * partition went to another consumer) it ignores late finishes, so a ticket of a revoked partition
 * is a harmless no-op.
 */
final class PartitionProgress {
  private final TreeSet<Long> unfinished = new TreeSet<>();
  private long next = -1;
  private boolean revoked;

  /** Records a job handed out at {@code offset}, which is after every offset recorded before. */
  synchronized void handedOut(long offset) {
    if (offset < next)
      throw new IllegalArgumentException("offset " + offset + " handed out after " + (next - 1));
    if (revoked) return;
    unfinished.add(offset);
    next = offset + 1;
  }

  /**
   * Records that the job at {@code offset} is finished.
   *
   * @return true if this call finished an unfinished job (false for a repeat, an unknown offset or
   *     a revoked partition), so that a caller counting pending jobs counts each once
   */
  synchronized boolean finish(long offset) {
    return !revoked && unfinished.remove(offset);
  }

  /**
   * The offset to commit: the oldest unfinished job, or the one after the last handed out; empty
   * before anything was handed out.
   */
  synchronized OptionalLong committable() {
    if (next < 0) return OptionalLong.empty();
    return OptionalLong.of(unfinished.isEmpty() ? next : unfinished.first());
  }

  synchronized int unfinishedCount() {
    return unfinished.size();
  }

  /**
   * Forgets the partition: later finishes are ignored.
   *
   * @return the jobs that were still unfinished (their new owner replays them)
   */
  synchronized int revoke() {
    revoked = true;
    int dropped = unfinished.size();
    unfinished.clear();
    return dropped;
  }
}
