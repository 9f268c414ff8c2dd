package dev.parley.msg.store;

import org.jdbi.v3.core.Handle;

/**
 * Transaction-scoped advisory locks on pairs of users (design.md 8.7): everything that concerns two
 * users as a pair — relation changes, and the first message, which creates their conversation —
 * serializes on the pair's lock. Two users who never chatted have no conversation row to lock,
 * which is why these exist.
 *
 * <p>Lock order: a transaction takes its pair locks before any conversation row, in ascending
 * {@link #key} order when it takes several. The key is a hash of the pair: a collision only makes
 * two unrelated pairs wait for each other.
 */
public final class PairLocks {
  /** First key of the two-key advisory lock space, reserved for pairs of users ("rel"). */
  private static final int SPACE = 0x72656c;

  private PairLocks() {}

  public static int key(long a, long b) {
    long lo = Math.min(a, b);
    long hi = Math.max(a, b);
    return Long.hashCode(lo * 31 + hi);
  }

  /**
   * Blocks until the transaction holds the lock with this key (re-entrant within a transaction).
   */
  public static void lock(Handle h, int key) {
    h.createUpdate("SELECT pg_advisory_xact_lock(:space, :key)")
        .bind("space", SPACE)
        .bind("key", key)
        .execute();
  }

  public static void lock(Handle h, long a, long b) {
    lock(h, key(a, b));
  }
}
