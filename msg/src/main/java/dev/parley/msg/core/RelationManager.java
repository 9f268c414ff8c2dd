package dev.parley.msg.core;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.feed.FeedItem;
import dev.parley.msg.feed.FeedKind;
import dev.parley.msg.feed.FeedPayload;
import dev.parley.msg.feed.FeedPayload.RequestState;
import dev.parley.msg.store.Conversations;
import dev.parley.msg.store.Feed;
import dev.parley.msg.store.FriendRequestRow;
import dev.parley.msg.store.FriendRow;
import dev.parley.msg.store.PairLocks;
import dev.parley.msg.store.Relations;
import dev.parley.msg.store.Tx;
import dev.parley.proto.client.Error.Reason;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * Friend requests, friendships and blocks between two users.
 *
 * <p><b>Serialization.</b> Every change of a pair's relation is one transaction that first takes
 * the pair's advisory lock (PairLocks), then their direct conversation row if there is one (the
 * lock the log writer holds while it checks a message against RelationRules). Only then does it
 * read and write relation rows and append to feeds. So a block and a message of an existing
 * conversation cannot interleave: a message either committed before the block or sees it and is
 * refused; and two crossing friend requests cannot both miss each other.
 *
 * <p><b>Feeds.</b> Each change appends the client update (FriendRequestUpdate, FriendUpdate,
 * BlockUpdate, serialized as the feed row's payload) to the feeds of both users, in the same
 * transaction, so that every device of both learns it; the exception is BlockUpdate, which only the
 * blocker's feed gets. A block also ends a friendship (FriendUpdate false) and pending requests
 * (CANCELED for the blocker's own, DECLINED for the other's) for both, which reads to the blocked
 * user like an ordinary unfriend or decline.
 *
 * <p>Repeating a request that is pending, a block that exists or an unblock that does not is a
 * no-op without feed updates.
 */
public final class RelationManager {
  private final Tx tx;
  private final Relations relations;
  private final Conversations conversations;
  private final RelationRules rules;
  private final Feed feed;
  private final UserDirectory users;
  private final UpdateSink sink;
  private final Clock clock;

  public RelationManager(
      Tx tx,
      Relations relations,
      Conversations conversations,
      RelationRules rules,
      Feed feed,
      UserDirectory users,
      UpdateSink sink,
      Clock clock) {
    this.tx = tx;
    this.relations = relations;
    this.conversations = conversations;
    this.rules = rules;
    this.feed = feed;
    this.users = users;
    this.sink = sink;
    this.clock = clock;
  }

  /**
   * Sends a request, or accepts the opposite one if {@code to} already asked the caller. Returns
   * true when the two are friends now.
   */
  public boolean sendRequest(Caller caller, long to, String note) {
    long me = caller.userId();
    requireDifferent(me, to, "user_id");
    requireAccount(to);
    List<FeedItem> items =
        change(
            me,
            to,
            (h, now) -> {
              if (rules.blockedEitherWay(h, me, to))
                throw new ParleyException(Reason.BLOCKED, "You cannot send this user a request");
              if (rules.friends(h, me, to))
                throw new ParleyException(Reason.ALREADY_FRIENDS, "You are friends already");
              Optional<FriendRequestRow> opposite = relations.request(h, to, me);
              if (opposite.isPresent()) return befriend(h, opposite.get(), now);
              if (relations.request(h, me, to).isPresent()) return List.of();
              FriendRequestRow request = new FriendRequestRow(me, to, note, now);
              relations.insertRequest(h, request);
              return List.of(
                  requestItem(me, request, RequestState.SENT),
                  requestItem(to, request, RequestState.RECEIVED));
            });
    return items.stream().anyMatch(i -> i.kind() == FeedKind.FRIEND);
  }

  /** Accepts the request {@code from} sent the caller. */
  public void accept(Caller caller, long from) {
    long me = caller.userId();
    requireDifferent(me, from, "user_id");
    change(me, from, (h, now) -> befriend(h, pending(h, from, me), now));
  }

  public void decline(Caller caller, long from) {
    long me = caller.userId();
    requireDifferent(me, from, "user_id");
    change(me, from, (h, now) -> close(h, pending(h, from, me), RequestState.DECLINED));
  }

  /** Withdraws the request the caller sent {@code to}. */
  public void cancel(Caller caller, long to) {
    long me = caller.userId();
    requireDifferent(me, to, "user_id");
    change(me, to, (h, now) -> close(h, pending(h, me, to), RequestState.CANCELED));
  }

  public void deleteFriend(Caller caller, long other) {
    long me = caller.userId();
    requireDifferent(me, other, "user_id");
    change(
        me,
        other,
        (h, now) -> {
          if (!relations.unfriend(h, me, other))
            throw new ParleyException(Reason.NOT_FOUND, "You are not friends");
          return unfriended(me, other);
        });
  }

  public void block(Caller caller, long other) {
    long me = caller.userId();
    requireDifferent(me, other, "user_id");
    requireAccount(other);
    change(
        me,
        other,
        (h, now) -> {
          if (!relations.block(h, me, other, now)) return List.of();
          List<FeedItem> items = new ArrayList<>();
          items.add(blockItem(me, other, true));
          if (relations.unfriend(h, me, other)) items.addAll(unfriended(me, other));
          Optional<FriendRequestRow> mine = relations.request(h, me, other);
          if (mine.isPresent()) items.addAll(close(h, mine.get(), RequestState.CANCELED));
          Optional<FriendRequestRow> theirs = relations.request(h, other, me);
          if (theirs.isPresent()) items.addAll(close(h, theirs.get(), RequestState.DECLINED));
          return items;
        });
  }

  public void unblock(Caller caller, long other) {
    long me = caller.userId();
    requireDifferent(me, other, "user_id");
    change(
        me,
        other,
        (h, now) ->
            relations.unblock(h, me, other) ? List.of(blockItem(me, other, false)) : List.of());
  }

  public record Requests(List<FriendRequestRow> incoming, List<FriendRequestRow> outgoing) {}

  public Requests requests(Caller caller) {
    return tx.read(
        h ->
            new Requests(
                relations.requests(h, caller.userId(), true),
                relations.requests(h, caller.userId(), false)));
  }

  public List<FriendRow> friends(Caller caller) {
    return tx.read(h -> relations.friends(h, caller.userId()));
  }

  public List<Long> blocked(Caller caller) {
    return tx.read(h -> relations.blocked(h, caller.userId()));
  }

  /** Whether {@code blocker} has blocked {@code user}; asked by the user service for lookups. */
  public boolean isBlocked(long blocker, long user) {
    return tx.read(h -> rules.blocked(h, blocker, user));
  }

  /** One relation change between two users; returns the feed items it wrote. */
  private interface Change {
    List<FeedItem> apply(Handle h, Instant now);
  }

  /** Runs the change under the pair's locks (see the class comment), commits, then publishes. */
  private List<FeedItem> change(long a, long b, Change change) {
    Instant now = clock.instant();
    record Written(List<FeedItem> items, long[] pts) {}
    Written w =
        tx.write(
            h -> {
              // Lock order (design.md 8.2): the pair's lock, then its conversation row if it has
              // one.
              PairLocks.lock(h, a, b);
              conversations.direct(h, a, b).ifPresent(id -> conversations.lock(h, id));
              List<FeedItem> items = change.apply(h, now);
              return new Written(items, feed.append(h, items, now));
            });
    if (!w.items().isEmpty()) sink.published(w.items(), w.pts());
    return w.items();
  }

  private FriendRequestRow pending(Handle h, long from, long to) {
    return relations
        .request(h, from, to)
        .orElseThrow(() -> new ParleyException(Reason.NOT_FOUND, "No such friend request"));
  }

  /** Turns a request into a friendship: ACCEPTED and FriendUpdate(true) for both users. */
  private List<FeedItem> befriend(Handle h, FriendRequestRow request, Instant now) {
    long from = request.fromUserId();
    long to = request.toUserId();
    relations.deleteRequest(h, from, to);
    relations.deleteRequest(h, to, from);
    relations.befriend(h, from, to, now);
    return List.of(
        requestItem(from, request, RequestState.ACCEPTED),
        friendItem(from, to, true, now),
        requestItem(to, request, RequestState.ACCEPTED),
        friendItem(to, from, true, now));
  }

  /** Removes a pending request, telling both users how it ended. */
  private List<FeedItem> close(Handle h, FriendRequestRow request, RequestState state) {
    relations.deleteRequest(h, request.fromUserId(), request.toUserId());
    return List.of(
        requestItem(request.fromUserId(), request, state),
        requestItem(request.toUserId(), request, state));
  }

  private static List<FeedItem> unfriended(long a, long b) {
    return List.of(friendItem(a, b, false, null), friendItem(b, a, false, null));
  }

  /** {@code owner}'s copy of a request update; the other user is whoever the request is with. */
  private static FeedItem requestItem(long owner, FriendRequestRow r, RequestState state) {
    long other = owner == r.fromUserId() ? r.toUserId() : r.fromUserId();
    FeedPayload payload =
        new FeedPayload.FriendRequest(r.fromUserId(), r.toUserId(), r.note(), r.createdAt(), state);
    return FeedItem.relation(owner, FeedKind.FRIEND_REQUEST, other, payload);
  }

  private static FeedItem friendItem(
      long owner, long other, boolean friends, @Nullable Instant since) {
    return FeedItem.relation(
        owner, FeedKind.FRIEND, other, new FeedPayload.Friend(other, friends, since));
  }

  private static FeedItem blockItem(long blocker, long other, boolean blocked) {
    return FeedItem.relation(blocker, FeedKind.BLOCK, other, new FeedPayload.Block(other, blocked));
  }

  private static void requireDifferent(long a, long b, String field) {
    if (a == b)
      throw new ParleyException(
          Reason.INVALID_ARGUMENT, "That is you", field, java.time.Duration.ZERO);
  }

  private void requireAccount(long userId) {
    if (!users.exists(userId)) throw new ParleyException(Reason.NOT_FOUND, "No such user");
  }
}
