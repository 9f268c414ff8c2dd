package dev.parley.msg.core;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.store.Relations;
import dev.parley.msg.store.Relations.Pair;
import dev.parley.proto.client.Error.Reason;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * Who may message whom one-to-one: nobody across a block (either direction), and, when the server
 * is configured friends-only, only friends. Decided inside the transaction that appends the
 * message, after the conversation lock (or the pair lock of a first message); relation changes
 * between two users take the pair lock and then their conversation row, so a block and a message
 * cannot interleave.
 */
public final class RelationRules {
  private final boolean friendsOnly;
  private final Relations relations;

  public RelationRules(boolean friendsOnly, Relations relations) {
    this.friendsOnly = friendsOnly;
    this.relations = relations;
  }

  public boolean friendsOnly() {
    return friendsOnly;
  }

  /**
   * The refusal of a one-to-one message from {@code from} to {@code to}, or null when it may go,
   * given the blocks and friendships loaded for the pair.
   */
  public @Nullable ParleyException directChat(
      long from, long to, Set<Pair> blocks, Set<Pair> friendships) {
    if (blocks.contains(new Pair(from, to)) || blocks.contains(new Pair(to, from))) {
      return new ParleyException(Reason.BLOCKED, "Messages between these users are blocked");
    }
    if (friendsOnly && !friendships.contains(new Pair(from, to))) {
      return new ParleyException(
          Reason.NOT_FRIENDS, "This server allows one-to-one chat between friends only");
    }
    return null;
  }

  public boolean blockedEitherWay(Handle h, long a, long b) {
    return relations.isBlocked(h, a, b) || relations.isBlocked(h, b, a);
  }

  /** Whether {@code blocker} has blocked {@code user}. */
  public boolean blocked(Handle h, long blocker, long user) {
    return relations.isBlocked(h, blocker, user);
  }

  public boolean friends(Handle h, long a, long b) {
    return relations.areFriends(h, a, b);
  }
}
