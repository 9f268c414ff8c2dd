package dev.parley.msg.store;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Table access for msg.friend_requests, msg.friends (both directions stored) and msg.blocks.
 * Writers of one pair's rows hold the pair's lock, PairLocks (see RelationManager).
 */
public final class Relations {
  public Optional<FriendRequestRow> request(Handle h, long from, long to) {
    return h.createQuery(
            "SELECT from_user_id, to_user_id, note, created_at FROM msg.friend_requests WHERE from_user_id = :f AND to_user_id = :t")
        .bind("f", from)
        .bind("t", to)
        .map(
            (rs, ctx) ->
                new FriendRequestRow(
                    rs.getLong(1),
                    rs.getLong(2),
                    rs.getString(3),
                    Objects.requireNonNull(Times.get(rs, "created_at"))))
        .findOne();
  }

  public void insertRequest(Handle h, FriendRequestRow r) {
    h.createUpdate(
            "INSERT INTO msg.friend_requests (from_user_id, to_user_id, note, created_at) VALUES (:f, :t, :note, :at)")
        .bind("f", r.fromUserId())
        .bind("t", r.toUserId())
        .bind("note", r.note())
        .bind("at", Times.db(r.createdAt()))
        .execute();
  }

  public boolean deleteRequest(Handle h, long from, long to) {
    return h.createUpdate(
                "DELETE FROM msg.friend_requests WHERE from_user_id = :f AND to_user_id = :t")
            .bind("f", from)
            .bind("t", to)
            .execute()
        == 1;
  }

  /** Requests sent to {@code userId} (incoming) or by them (outgoing), oldest first. */
  public List<FriendRequestRow> requests(Handle h, long userId, boolean incoming) {
    String column = incoming ? "to_user_id" : "from_user_id";
    return h.createQuery(
            "SELECT from_user_id, to_user_id, note, created_at FROM msg.friend_requests WHERE "
                + column
                + " = :u "
                + "ORDER BY created_at, from_user_id, to_user_id")
        .bind("u", userId)
        .map(
            (rs, ctx) ->
                new FriendRequestRow(
                    rs.getLong(1),
                    rs.getLong(2),
                    rs.getString(3),
                    Objects.requireNonNull(Times.get(rs, "created_at"))))
        .list();
  }

  /** Stores the friendship in both directions. */
  public void befriend(Handle h, long a, long b, Instant since) {
    h.createUpdate(
            "INSERT INTO msg.friends (user_id, friend_id, since) VALUES (:a, :b, :at), (:b, :a, :at) ON CONFLICT DO NOTHING")
        .bind("a", a)
        .bind("b", b)
        .bind("at", Times.db(since))
        .execute();
  }

  /** Ends the friendship in both directions; false when they were not friends. */
  public boolean unfriend(Handle h, long a, long b) {
    return h.createUpdate(
                "DELETE FROM msg.friends WHERE (user_id = :a AND friend_id = :b) OR (user_id = :b AND friend_id = :a)")
            .bind("a", a)
            .bind("b", b)
            .execute()
        > 0;
  }

  /** The user's friends, longest-standing first. */
  public List<FriendRow> friends(Handle h, long userId) {
    return h.createQuery(
            "SELECT user_id, friend_id, since FROM msg.friends WHERE user_id = :u ORDER BY since, friend_id")
        .bind("u", userId)
        .map(
            (rs, ctx) ->
                new FriendRow(
                    rs.getLong(1), rs.getLong(2), Objects.requireNonNull(Times.get(rs, "since"))))
        .list();
  }

  /** Inserts the block; false when it already existed. */
  public boolean block(Handle h, long userId, long blockedId, Instant at) {
    return h.createUpdate(
                "INSERT INTO msg.blocks (user_id, blocked_id, created_at) VALUES (:u, :b, :at) ON CONFLICT DO NOTHING")
            .bind("u", userId)
            .bind("b", blockedId)
            .bind("at", Times.db(at))
            .execute()
        == 1;
  }

  /** Removes the block; false when there was none. */
  public boolean unblock(Handle h, long userId, long blockedId) {
    return h.createUpdate("DELETE FROM msg.blocks WHERE user_id = :u AND blocked_id = :b")
            .bind("u", userId)
            .bind("b", blockedId)
            .execute()
        == 1;
  }

  /** Users blocked by {@code userId}, oldest block first. */
  public List<Long> blocked(Handle h, long userId) {
    return h.createQuery(
            "SELECT blocked_id FROM msg.blocks WHERE user_id = :u ORDER BY created_at, blocked_id")
        .bind("u", userId)
        .mapTo(Long.class)
        .list();
  }

  /** An ordered pair of users: {@code user} blocked (or befriended) {@code other}. */
  public record Pair(long user, long other) {}

  /** Whether {@code blocker} has blocked {@code user}. */
  public boolean isBlocked(Handle h, long blocker, long user) {
    return h.createQuery(
            "SELECT EXISTS (SELECT 1 FROM msg.blocks WHERE user_id = :a AND blocked_id = :b)")
        .bind("a", blocker)
        .bind("b", user)
        .mapTo(Boolean.class)
        .one();
  }

  public boolean areFriends(Handle h, long a, long b) {
    return h.createQuery(
            "SELECT EXISTS (SELECT 1 FROM msg.friends WHERE user_id = :a AND friend_id = :b)")
        .bind("a", a)
        .bind("b", b)
        .mapTo(Boolean.class)
        .one();
  }

  /** Those of {@code candidates} who are friends of {@code userId}. */
  public Set<Long> friendsAmong(Handle h, long userId, Collection<Long> candidates) {
    if (candidates.isEmpty()) return Set.of();
    return new HashSet<>(
        h.createQuery(
                "SELECT friend_id FROM msg.friends WHERE user_id = :u AND friend_id = ANY(:c)")
            .bind("u", userId)
            .bind("c", candidates.toArray(Long[]::new))
            .mapTo(Long.class)
            .list());
  }

  /** Those of {@code candidates} who have blocked {@code userId}. */
  public Set<Long> blockersAmong(Handle h, long userId, Collection<Long> candidates) {
    if (candidates.isEmpty()) return Set.of();
    return new HashSet<>(
        h.createQuery("SELECT user_id FROM msg.blocks WHERE blocked_id = :u AND user_id = ANY(:c)")
            .bind("u", userId)
            .bind("c", candidates.toArray(Long[]::new))
            .mapTo(Long.class)
            .list());
  }
}
