package dev.parley.user;

/**
 * Who has blocked whom. Blocks live in the message service (with the rest of the relations); the user
 * service asks so that a user who blocked someone cannot be found by them (lookup answers NOT_FOUND,
 * exactly as for an unknown account).
 */
public interface BlockList {
  boolean hasBlocked(long blockerId, long userId);

  BlockList NONE = (blocker, user) -> false;
}
