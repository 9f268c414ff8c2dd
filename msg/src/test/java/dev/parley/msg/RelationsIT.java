package dev.parley.msg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.grpc.GrpcErrors;
import dev.parley.proto.client.AcceptFriendRequestRequest;
import dev.parley.proto.client.BlockUserRequest;
import dev.parley.proto.client.CancelFriendRequestRequest;
import dev.parley.proto.client.DeclineFriendRequestRequest;
import dev.parley.proto.client.DeleteFriendRequest;
import dev.parley.proto.client.Error;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.Friend;
import dev.parley.proto.client.FriendRequest;
import dev.parley.proto.client.FriendRequestUpdate.State;
import dev.parley.proto.client.ListBlockedRequest;
import dev.parley.proto.client.ListFriendRequestsRequest;
import dev.parley.proto.client.ListFriendRequestsResponse;
import dev.parley.proto.client.ListFriendsRequest;
import dev.parley.proto.client.SendFriendRequestRequest;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.SendMessageResponse;
import dev.parley.proto.client.TextContent;
import dev.parley.proto.client.UnblockUserRequest;
import dev.parley.proto.client.Update;
import dev.parley.proto.internal.IsBlockedRequest;
import dev.parley.testkit.PostgresExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Friend requests, friendships and blocks on real PostgreSQL: states, both users' feeds, effects on
 * chat.
 */
class RelationsIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  static MsgHarness msg;
  static MsgHarness friendsOnly;

  @BeforeAll
  static void start() {
    msg = new MsgHarness(postgres, c -> c);
    friendsOnly = new MsgHarness(postgres, MsgHarness::friendsOnly);
  }

  @AfterAll
  static void stop() {
    msg.close();
    friendsOnly.close();
  }

  @Test
  void aRequestReachesBothFeedsAndAcceptingMakesFriendsBothWays() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    assertThat(request(msg, alice, bob, "  climbing on Sunday?  ")).isFalse();

    assertThat(requestStates(msg, alice)).containsExactly(State.SENT);
    assertThat(requestStates(msg, bob)).containsExactly(State.RECEIVED);
    FriendRequest received = Feeds.all(msg, bob).get(0).getFriendRequest().getRequest();
    assertThat(received.getFromUserId()).isEqualTo(alice);
    assertThat(received.getToUserId()).isEqualTo(bob);
    assertThat(received.getNote()).isEqualTo("climbing on Sunday?");
    assertThat(Feeds.all(msg, bob).get(0).getPts()).isEqualTo(1);
    ListFriendRequestsResponse bobs =
        msg.relations(bob).listFriendRequests(ListFriendRequestsRequest.getDefaultInstance());
    assertThat(bobs.getIncomingList())
        .extracting(FriendRequest::getFromUserId)
        .containsExactly(alice);
    assertThat(bobs.getOutgoingList()).isEmpty();
    assertThat(
            msg.relations(alice)
                .listFriendRequests(ListFriendRequestsRequest.getDefaultInstance())
                .getOutgoingList())
        .extracting(FriendRequest::getToUserId)
        .containsExactly(bob);
    // Asking again changes nothing.
    assertThat(request(msg, alice, bob, "again")).isFalse();
    assertThat(Feeds.all(msg, bob)).hasSize(1);

    msg.relations(bob)
        .acceptFriendRequest(AcceptFriendRequestRequest.newBuilder().setUserId(alice).build());
    for (long[] pair : new long[][] {{alice, bob}, {bob, alice}}) {
      List<Update> feed = Feeds.all(msg, pair[0]);
      assertThat(feed.get(feed.size() - 2).getFriendRequest().getState()).isEqualTo(State.ACCEPTED);
      assertThat(feed.get(feed.size() - 1).getFriend().getFriends()).isTrue();
      assertThat(feed.get(feed.size() - 1).getFriend().getUserId()).isEqualTo(pair[1]);
      assertThat(feed.get(feed.size() - 1).getFriend().getSinceMs()).isPositive();
      assertThat(friends(msg, pair[0])).containsExactly(pair[1]);
      assertThat(
              msg.relations(pair[0])
                  .listFriendRequests(ListFriendRequestsRequest.getDefaultInstance())
                  .getIncomingCount())
          .isZero();
    }
    assertThat(reason(() -> request(msg, bob, alice, ""))).isEqualTo(Reason.ALREADY_FRIENDS);
    assertThat(
            reason(
                () ->
                    msg.relations(bob)
                        .acceptFriendRequest(
                            AcceptFriendRequestRequest.newBuilder().setUserId(alice).build())))
        .isEqualTo(Reason.NOT_FOUND);
  }

  @Test
  void declineAndCancelEndTheRequestForBoth() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    request(msg, alice, bob, "");
    msg.relations(bob)
        .declineFriendRequest(DeclineFriendRequestRequest.newBuilder().setUserId(alice).build());
    assertThat(requestStates(msg, alice)).containsExactly(State.SENT, State.DECLINED);
    assertThat(requestStates(msg, bob)).containsExactly(State.RECEIVED, State.DECLINED);
    assertThat(friends(msg, bob)).isEmpty();
    assertThat(
            reason(
                () ->
                    msg.relations(bob)
                        .acceptFriendRequest(
                            AcceptFriendRequestRequest.newBuilder().setUserId(alice).build())))
        .isEqualTo(Reason.NOT_FOUND);

    request(msg, alice, bob, "second try");
    msg.relations(alice)
        .cancelFriendRequest(CancelFriendRequestRequest.newBuilder().setUserId(bob).build());
    assertThat(requestStates(msg, alice)).endsWith(State.SENT, State.CANCELED);
    assertThat(requestStates(msg, bob)).endsWith(State.RECEIVED, State.CANCELED);
    assertThat(
            msg.relations(bob)
                .listFriendRequests(ListFriendRequestsRequest.getDefaultInstance())
                .getIncomingCount())
        .isZero();
    // Only the sender cancels, only the receiver declines.
    request(msg, alice, bob, "");
    assertThat(
            reason(
                () ->
                    msg.relations(bob)
                        .cancelFriendRequest(
                            CancelFriendRequestRequest.newBuilder().setUserId(alice).build())))
        .isEqualTo(Reason.NOT_FOUND);
    assertThat(
            reason(
                () ->
                    msg.relations(alice)
                        .declineFriendRequest(
                            DeclineFriendRequestRequest.newBuilder().setUserId(bob).build())))
        .isEqualTo(Reason.NOT_FOUND);
  }

  @Test
  void crossingRequestsMakeFriendsAndDeletingEndsItForBoth() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    assertThat(request(msg, alice, bob, "")).isFalse();
    assertThat(request(msg, bob, alice, "")).isTrue();
    assertThat(friends(msg, alice)).containsExactly(bob);
    assertThat(friends(msg, bob)).containsExactly(alice);
    assertThat(requestStates(msg, bob)).containsExactly(State.RECEIVED, State.ACCEPTED);

    msg.relations(alice).deleteFriend(DeleteFriendRequest.newBuilder().setUserId(bob).build());
    for (long user : List.of(alice, bob)) {
      List<Update> feed = Feeds.all(msg, user);
      assertThat(feed.get(feed.size() - 1).getFriend().getFriends()).isFalse();
      assertThat(friends(msg, user)).isEmpty();
    }
    assertThat(
            reason(
                () ->
                    msg.relations(bob)
                        .deleteFriend(DeleteFriendRequest.newBuilder().setUserId(alice).build())))
        .isEqualTo(Reason.NOT_FOUND);
  }

  @Test
  void concurrentCrossingRequestsAlwaysEndAsFriends() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<long[]> pairs = new ArrayList<>();
    List<Future<Boolean>> calls = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      long a = msg.newUser();
      long b = msg.newUser();
      pairs.add(new long[] {a, b});
      calls.add(pool.submit(() -> request(msg, a, b, "")));
      calls.add(pool.submit(() -> request(msg, b, a, "")));
    }
    for (int i = 0; i < pairs.size(); i++) {
      // Exactly one of the two found the other's request and accepted it.
      assertThat(calls.get(2 * i).get() ^ calls.get(2 * i + 1).get()).isTrue();
      long[] pair = pairs.get(i);
      assertThat(friends(msg, pair[0])).containsExactly(pair[1]);
      assertThat(
              msg.relations(pair[0])
                  .listFriendRequests(ListFriendRequestsRequest.getDefaultInstance())
                  .getOutgoingCount())
          .isZero();
      assertThat(
              msg.relations(pair[1])
                  .listFriendRequests(ListFriendRequestsRequest.getDefaultInstance())
                  .getOutgoingCount())
          .isZero();
    }
    pool.shutdown();
  }

  @Test
  void requestsAreValidated() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    assertThat(invalidField(() -> request(msg, alice, alice, ""))).isEqualTo("user_id");
    assertThat(invalidField(() -> request(msg, alice, 0, ""))).isEqualTo("user_id");
    assertThat(invalidField(() -> request(msg, alice, bob, "x".repeat(201)))).isEqualTo("note");
    assertThat(invalidField(() -> request(msg, alice, bob, "bell\u0007"))).isEqualTo("note");
    assertThat(reason(() -> request(msg, alice, 77_777, ""))).isEqualTo(Reason.NOT_FOUND);
    assertThat(request(msg, alice, bob, "y".repeat(200))).isFalse();
    assertThat(
            invalidField(
                () ->
                    msg.relations(alice)
                        .blockUser(BlockUserRequest.newBuilder().setUserId(alice).build())))
        .isEqualTo("user_id");
  }

  @Test
  void aBlockEndsFriendshipAndChatInBothDirectionsAndTheBlockedUserIsNotTold() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    long carol = msg.newUser();
    request(msg, alice, bob, "");
    request(msg, bob, alice, "");
    long conv = send(msg, bob, alice, "hi").getConversationId();
    request(msg, carol, alice, "let's be friends");
    int bobsBefore = Feeds.all(msg, bob).size();

    msg.relations(alice).blockUser(BlockUserRequest.newBuilder().setUserId(bob).build());
    List<Update> alices = Feeds.all(msg, alice);
    Update blocked = alices.stream().filter(Update::hasBlock).findFirst().orElseThrow();
    assertThat(blocked.getBlock().getUserId()).isEqualTo(bob);
    assertThat(blocked.getBlock().getBlocked()).isTrue();
    assertThat(alices.get(alices.size() - 1).getFriend().getFriends()).isFalse();
    List<Update> bobs = Feeds.all(msg, bob);
    assertThat(bobs).noneMatch(Update::hasBlock);
    assertThat(bobs.subList(bobsBefore, bobs.size()))
        .singleElement()
        .satisfies(u -> assertThat(u.getFriend().getFriends()).isFalse());
    assertThat(friends(msg, alice)).isEmpty();
    assertThat(friends(msg, bob)).isEmpty();

    assertThat(reason(() -> send(msg, bob, alice, "why?"))).isEqualTo(Reason.BLOCKED);
    assertThat(reason(() -> send(msg, alice, bob, "bye"))).isEqualTo(Reason.BLOCKED);
    assertThat(reason(() -> request(msg, bob, alice, "sorry"))).isEqualTo(Reason.BLOCKED);
    assertThat(reason(() -> request(msg, alice, bob, ""))).isEqualTo(Reason.BLOCKED);
    assertThat(Feeds.history(msg, alice, conv)).hasSize(1);
    assertThat(
            msg.relations(alice)
                .listBlocked(ListBlockedRequest.getDefaultInstance())
                .getUserIdsList())
        .containsExactly(bob);
    // Blocking again is a no-op.
    msg.relations(alice).blockUser(BlockUserRequest.newBuilder().setUserId(bob).build());
    assertThat(Feeds.all(msg, alice)).hasSameSizeAs(alices);

    // IsBlocked is internal and needs no authenticated caller (user id 0 sends no identity).
    assertThat(
            msg.relations(0)
                .isBlocked(IsBlockedRequest.newBuilder().setBlockerId(alice).setUserId(bob).build())
                .getBlocked())
        .isTrue();
    assertThat(
            msg.relations(0)
                .isBlocked(IsBlockedRequest.newBuilder().setBlockerId(bob).setUserId(alice).build())
                .getBlocked())
        .isFalse();
    assertThat(
            invalidField(
                () ->
                    msg.relations(0)
                        .isBlocked(IsBlockedRequest.newBuilder().setUserId(bob).build())))
        .isEqualTo("blocker_id");

    // A pending request from the blocked user ends as declined, and they hear nothing else.
    msg.relations(alice).blockUser(BlockUserRequest.newBuilder().setUserId(carol).build());
    assertThat(requestStates(msg, carol)).containsExactly(State.SENT, State.DECLINED);
    assertThat(Feeds.all(msg, carol)).noneMatch(Update::hasBlock);

    msg.relations(alice).unblockUser(UnblockUserRequest.newBuilder().setUserId(bob).build());
    Update unblocked = Feeds.all(msg, alice).getLast();
    assertThat(unblocked.getBlock().getUserId()).isEqualTo(bob);
    assertThat(unblocked.getBlock().getBlocked()).isFalse();
    assertThat(Feeds.all(msg, bob)).noneMatch(Update::hasBlock);
    assertThat(send(msg, bob, alice, "hello again").getSeq()).isEqualTo(2);
    assertThat(
            msg.relations(alice)
                .listBlocked(ListBlockedRequest.getDefaultInstance())
                .getUserIdsList())
        .containsExactly(carol);
    assertThat(
            msg.relations(0)
                .isBlocked(IsBlockedRequest.newBuilder().setBlockerId(alice).setUserId(bob).build())
                .getBlocked())
        .isFalse();
  }

  @Test
  void friendsOnlyServersRefuseChatBetweenNonFriends() {
    long alice = friendsOnly.newUser();
    long bob = friendsOnly.newUser();
    assertThat(reason(() -> send(friendsOnly, alice, bob, "hi"))).isEqualTo(Reason.NOT_FRIENDS);
    request(friendsOnly, alice, bob, "");
    friendsOnly
        .relations(bob)
        .acceptFriendRequest(AcceptFriendRequestRequest.newBuilder().setUserId(alice).build());
    assertThat(send(friendsOnly, alice, bob, "hi").getSeq()).isEqualTo(1);
    assertThat(send(friendsOnly, bob, alice, "hi back").getSeq()).isEqualTo(2);
    friendsOnly
        .relations(bob)
        .deleteFriend(DeleteFriendRequest.newBuilder().setUserId(alice).build());
    assertThat(reason(() -> send(friendsOnly, alice, bob, "still there?")))
        .isEqualTo(Reason.NOT_FRIENDS);
  }

  @Test
  void aBlockRacingABurstOfSendsLeavesNoMessageAfterIt() throws Exception {
    long alice = msg.newUser();
    long bob = msg.newUser();
    long conv = send(msg, bob, alice, "open").getConversationId();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<Future<Long>> sends = new ArrayList<>();
    Future<?> block = null;
    for (int i = 0; i < 40; i++) {
      if (i == 12)
        block =
            pool.submit(
                () ->
                    msg.relations(alice)
                        .blockUser(BlockUserRequest.newBuilder().setUserId(bob).build()));
      long from = i % 2 == 0 ? bob : alice;
      long to = from == bob ? alice : bob;
      sends.add(
          pool.submit(
              () -> {
                try {
                  return send(msg, from, to, "burst").getSeq();
                } catch (RuntimeException e) {
                  assertThat(GrpcErrors.toError(e).getReason()).isEqualTo(Reason.BLOCKED);
                  return 0L; // refused
                }
              }));
    }
    block.get();
    List<Long> stored = new ArrayList<>();
    for (Future<Long> f : sends) if (f.get() > 0) stored.add(f.get());
    pool.shutdown();

    // Every answered message exists, nothing else does, and the log has no holes.
    List<Long> history = Feeds.history(msg, alice, conv);
    assertThat(history).hasSize(1 + stored.size()).containsAll(stored);
    assertThat(history.getLast()).isEqualTo(history.size());
    // Alice's feed is in commit order: no message of the chat after her block.
    List<Update> feed = Feeds.all(msg, alice);
    long blockPts = feed.stream().filter(Update::hasBlock).findFirst().orElseThrow().getPts();
    assertThat(feed)
        .filteredOn(u -> u.hasMessage() && u.getMessage().getConversationId() == conv)
        .hasSize(history.size())
        .allSatisfy(u -> assertThat(u.getPts()).isLessThan(blockPts));
    assertThat(reason(() -> send(msg, bob, alice, "late"))).isEqualTo(Reason.BLOCKED);
  }

  // --- helpers ---

  static boolean request(MsgHarness h, long from, long to, String note) {
    return h.relations(from)
        .sendFriendRequest(
            SendFriendRequestRequest.newBuilder().setUserId(to).setNote(note).build())
        .getFriends();
  }

  static SendMessageResponse send(MsgHarness h, long from, long to, String text) {
    return h.messages(from)
        .sendMessage(
            SendMessageRequest.newBuilder()
                .setUserId(to)
                .setClientMsgId(UUID.randomUUID().toString())
                .setText(TextContent.newBuilder().setText(text))
                .build());
  }

  private static List<State> requestStates(MsgHarness h, long user) {
    return Feeds.all(h, user).stream()
        .filter(Update::hasFriendRequest)
        .map(u -> u.getFriendRequest().getState())
        .toList();
  }

  private static List<Long> friends(MsgHarness h, long user) {
    return h
        .relations(user)
        .listFriends(ListFriendsRequest.getDefaultInstance())
        .getFriendsList()
        .stream()
        .map(Friend::getUserId)
        .toList();
  }

  private static Reason reason(Runnable call) {
    return MsgHarness.error(call).getReason();
  }

  private static String invalidField(Runnable call) {
    Error e = MsgHarness.error(call);
    assertThat(e.getReason()).isEqualTo(Reason.INVALID_ARGUMENT);
    return e.getField();
  }
}
