package dev.parley.user;

/**
 * Who has blocked whom. Blocks live in the message service (with the rest of the relations); the
 * user service asks so that a user who blocked someone cannot be found by them (lookup answers
 * NOT_FOUND, exactly as for an unknown account).
 */
public interface BlockList {
  boolean hasBlocked(long blockerId, long userId);

  /** Those of {@code candidates} who have blocked {@code userId}. */
  default java.util.Set<Long> blockersAmong(java.util.Collection<Long> candidates, long userId) {
    java.util.Set<Long> blockers = new java.util.HashSet<>();
    for (long c : candidates) if (c != userId && hasBlocked(c, userId)) blockers.add(c);
    return blockers;
  }

  BlockList NONE = (blocker, user) -> false;
}
