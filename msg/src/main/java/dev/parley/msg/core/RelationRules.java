package dev.parley.msg.core;

import dev.parley.common.error.ParleyException;
import dev.parley.proto.client.Error.Reason;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Who may message whom one-to-one: nobody across a block (either direction), and, when the server is
 * configured friends-only, only friends. Checked inside the transaction that appends the message, after
 * the conversation lock; relation changes between two users lock their direct conversation first, so a
 * block and a message cannot interleave.
 */
public final class RelationRules {
  private final boolean friendsOnly;

  public RelationRules(boolean friendsOnly) {
    this.friendsOnly = friendsOnly;
  }

  public boolean friendsOnly() {
    return friendsOnly;
  }

  public void checkDirectChat(Handle h, long from, long to) {
    if (blockedEitherWay(h, from, to)) {
      throw new ParleyException(Reason.BLOCKED, "Messages between these users are blocked");
    }
    if (friendsOnly && !friends(h, from, to)) {
      throw new ParleyException(Reason.NOT_FRIENDS, "This server allows one-to-one chat between friends only");
    }
  }

  /** A one-to-one send to check: {@code from} writes to {@code to}. */
  public record Pair(long from, long to) {}

  /**
   * {@link #checkDirectChat} for several pairs in two queries at most: the pairs that may not chat,
   * each with its error.
   */
  public Map<Pair, ParleyException> refusedDirectChats(Handle h, List<Pair> pairs) {
    Map<Pair, ParleyException> refused = new HashMap<>();
    if (pairs.isEmpty()) return refused;
    Set<Pair> blocks = new HashSet<>(existing(h, "msg.blocks", "blocked_id", pairs));
    Set<Pair> friends = friendsOnly ? new HashSet<>(existing(h, "msg.friends", "friend_id", pairs)) : Set.of();
    for (Pair p : pairs) {
      if (blocks.contains(p) || blocks.contains(new Pair(p.to(), p.from()))) {
        refused.put(p, new ParleyException(Reason.BLOCKED, "Messages between these users are blocked"));
      } else if (friendsOnly && !friends.contains(p)) {
        refused.put(p, new ParleyException(Reason.NOT_FRIENDS, "This server allows one-to-one chat between friends only"));
      }
    }
    return refused;
  }

  /** Rows (user_id, other) of {@code table} for the pairs in either direction. */
  private static List<Pair> existing(Handle h, String table, String otherColumn, List<Pair> pairs) {
    Long[] as = new Long[pairs.size() * 2];
    Long[] bs = new Long[pairs.size() * 2];
    for (int i = 0; i < pairs.size(); i++) {
      as[2 * i] = bs[2 * i + 1] = pairs.get(i).from();
      bs[2 * i] = as[2 * i + 1] = pairs.get(i).to();
    }
    return h.createQuery(
            "SELECT t.user_id, t." + otherColumn + " FROM unnest(:as, :bs) AS k(a, b) JOIN " + table
                + " t ON t.user_id = k.a AND t." + otherColumn + " = k.b")
        .bindArray("as", Long.class, (Object[]) as)
        .bindArray("bs", Long.class, (Object[]) bs)
        .map((rs, ctx) -> new Pair(rs.getLong(1), rs.getLong(2)))
        .list();
  }

  public boolean blockedEitherWay(Handle h, long a, long b) {
    return h.createQuery(
            "SELECT EXISTS (SELECT 1 FROM msg.blocks WHERE (user_id = :a AND blocked_id = :b) OR (user_id = :b AND blocked_id = :a))")
        .bind("a", a)
        .bind("b", b)
        .mapTo(Boolean.class)
        .one();
  }

  /** Whether {@code blocker} has blocked {@code user}. */
  public boolean blocked(Handle h, long blocker, long user) {
    return h.createQuery("SELECT EXISTS (SELECT 1 FROM msg.blocks WHERE user_id = :a AND blocked_id = :b)")
        .bind("a", blocker)
        .bind("b", user)
        .mapTo(Boolean.class)
        .one();
  }

  /** Whether any of {@code blockers} has blocked {@code user} (who may then not add them to a group). */
  public boolean anyBlocked(Handle h, long[] blockers, long user) {
    if (blockers.length == 0) return false;
    Long[] ids = new Long[blockers.length];
    for (int i = 0; i < ids.length; i++) ids[i] = blockers[i];
    return h.createQuery("SELECT EXISTS (SELECT 1 FROM msg.blocks WHERE user_id = ANY(:ids) AND blocked_id = :u)")
        .bindArray("ids", Long.class, (Object[]) ids)
        .bind("u", user)
        .mapTo(Boolean.class)
        .one();
  }

  public boolean friends(Handle h, long a, long b) {
    return h.createQuery("SELECT EXISTS (SELECT 1 FROM msg.friends WHERE user_id = :a AND friend_id = :b)")
        .bind("a", a)
        .bind("b", b)
        .mapTo(Boolean.class)
        .one();
  }
}
