package dev.parley.msg.grpc;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.core.Caller;
import dev.parley.msg.core.RelationManager;
import dev.parley.msg.presence.PresenceReader;
import dev.parley.msg.store.FriendRequestRow;
import dev.parley.msg.store.FriendRow;
import dev.parley.proto.client.AcceptFriendRequestRequest;
import dev.parley.proto.client.AcceptFriendRequestResponse;
import dev.parley.proto.client.BlockUserRequest;
import dev.parley.proto.client.BlockUserResponse;
import dev.parley.proto.client.CancelFriendRequestRequest;
import dev.parley.proto.client.CancelFriendRequestResponse;
import dev.parley.proto.client.DeclineFriendRequestRequest;
import dev.parley.proto.client.DeclineFriendRequestResponse;
import dev.parley.proto.client.DeleteFriendRequest;
import dev.parley.proto.client.DeleteFriendResponse;
import dev.parley.proto.client.Friend;
import dev.parley.proto.client.FriendRequest;
import dev.parley.proto.client.GetPresenceRequest;
import dev.parley.proto.client.GetPresenceResponse;
import dev.parley.proto.client.ListBlockedRequest;
import dev.parley.proto.client.ListBlockedResponse;
import dev.parley.proto.client.ListFriendRequestsRequest;
import dev.parley.proto.client.ListFriendRequestsResponse;
import dev.parley.proto.client.ListFriendsRequest;
import dev.parley.proto.client.ListFriendsResponse;
import dev.parley.proto.client.SendFriendRequestRequest;
import dev.parley.proto.client.SendFriendRequestResponse;
import dev.parley.proto.client.UnblockUserRequest;
import dev.parley.proto.client.UnblockUserResponse;
import dev.parley.proto.internal.IsBlockedRequest;
import dev.parley.proto.internal.IsBlockedResponse;
import dev.parley.proto.internal.RelationServiceGrpc;
import io.grpc.stub.StreamObserver;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The gRPC edge of friends and blocks: validation and proto conversion only.
 *
 * <p>IsBlocked is internal (no client operation routes to it) and needs no authenticated caller:
 * the user service asks it while serving a lookup and forwards that caller's identity, but the
 * answer is a fact about the two named users and does not depend on who asks. Only services can
 * reach this endpoint (docs/design.md section 3).
 */
public final class RelationGrpcService extends RelationServiceGrpc.RelationServiceImplBase {
  private final RelationManager relations;
  private final PresenceReader presence;

  public RelationGrpcService(RelationManager relations, PresenceReader presence) {
    this.relations = relations;
    this.presence = presence;
  }

  @Override
  public void getPresence(GetPresenceRequest r, StreamObserver<GetPresenceResponse> out) {
    Caller caller = Callers.current();
    if (r.getUserIdsCount() == 0 || r.getUserIdsCount() > PresenceReader.MAX_USERS)
      throw ParleyException.invalid(
          "user_ids", "Give 1 to " + PresenceReader.MAX_USERS + " user ids");
    Set<Long> distinct = new LinkedHashSet<>();
    for (long id : r.getUserIdsList())
      if (!distinct.add(Limits.id(id, "user_ids")))
        throw ParleyException.invalid("user_ids", "User " + id + " is named twice");
    GetPresenceResponse.Builder answer = GetPresenceResponse.newBuilder();
    presence
        .presence(caller.userId(), List.copyOf(distinct))
        .forEach((id, seen) -> answer.addPresences(Protos.presence(id, seen)));
    reply(out, answer.build());
  }

  @Override
  public void sendFriendRequest(
      SendFriendRequestRequest r, StreamObserver<SendFriendRequestResponse> out) {
    Caller caller = Callers.current();
    boolean friends =
        relations.sendRequest(
            caller, Limits.id(r.getUserId(), "user_id"), TextRules.note(r.getNote(), "note"));
    reply(out, SendFriendRequestResponse.newBuilder().setFriends(friends).build());
  }

  @Override
  public void acceptFriendRequest(
      AcceptFriendRequestRequest r, StreamObserver<AcceptFriendRequestResponse> out) {
    relations.accept(Callers.current(), Limits.id(r.getUserId(), "user_id"));
    reply(out, AcceptFriendRequestResponse.getDefaultInstance());
  }

  @Override
  public void declineFriendRequest(
      DeclineFriendRequestRequest r, StreamObserver<DeclineFriendRequestResponse> out) {
    relations.decline(Callers.current(), Limits.id(r.getUserId(), "user_id"));
    reply(out, DeclineFriendRequestResponse.getDefaultInstance());
  }

  @Override
  public void cancelFriendRequest(
      CancelFriendRequestRequest r, StreamObserver<CancelFriendRequestResponse> out) {
    relations.cancel(Callers.current(), Limits.id(r.getUserId(), "user_id"));
    reply(out, CancelFriendRequestResponse.getDefaultInstance());
  }

  @Override
  public void listFriendRequests(
      ListFriendRequestsRequest r, StreamObserver<ListFriendRequestsResponse> out) {
    RelationManager.Requests requests = relations.requests(Callers.current());
    ListFriendRequestsResponse.Builder b = ListFriendRequestsResponse.newBuilder();
    requests.incoming().forEach(q -> b.addIncoming(request(q)));
    requests.outgoing().forEach(q -> b.addOutgoing(request(q)));
    reply(out, b.build());
  }

  @Override
  public void listFriends(ListFriendsRequest r, StreamObserver<ListFriendsResponse> out) {
    ListFriendsResponse.Builder b = ListFriendsResponse.newBuilder();
    for (FriendRow f : relations.friends(Callers.current())) {
      b.addFriends(Friend.newBuilder().setUserId(f.friendId()).setSinceMs(Protos.ms(f.since())));
    }
    reply(out, b.build());
  }

  @Override
  public void deleteFriend(DeleteFriendRequest r, StreamObserver<DeleteFriendResponse> out) {
    relations.deleteFriend(Callers.current(), Limits.id(r.getUserId(), "user_id"));
    reply(out, DeleteFriendResponse.getDefaultInstance());
  }

  @Override
  public void blockUser(BlockUserRequest r, StreamObserver<BlockUserResponse> out) {
    relations.block(Callers.current(), Limits.id(r.getUserId(), "user_id"));
    reply(out, BlockUserResponse.getDefaultInstance());
  }

  @Override
  public void unblockUser(UnblockUserRequest r, StreamObserver<UnblockUserResponse> out) {
    relations.unblock(Callers.current(), Limits.id(r.getUserId(), "user_id"));
    reply(out, UnblockUserResponse.getDefaultInstance());
  }

  @Override
  public void listBlocked(ListBlockedRequest r, StreamObserver<ListBlockedResponse> out) {
    reply(
        out,
        ListBlockedResponse.newBuilder()
            .addAllUserIds(relations.blocked(Callers.current()))
            .build());
  }

  @Override
  public void isBlocked(IsBlockedRequest r, StreamObserver<IsBlockedResponse> out) {
    boolean blocked =
        relations.isBlocked(
            Limits.id(r.getBlockerId(), "blocker_id"), Limits.id(r.getUserId(), "user_id"));
    reply(out, IsBlockedResponse.newBuilder().setBlocked(blocked).build());
  }

  private static FriendRequest request(FriendRequestRow q) {
    return FriendRequest.newBuilder()
        .setFromUserId(q.fromUserId())
        .setToUserId(q.toUserId())
        .setNote(q.note())
        .setCreatedAtMs(Protos.ms(q.createdAt()))
        .build();
  }

  private static <T> void reply(StreamObserver<T> out, T value) {
    out.onNext(value);
    out.onCompleted();
  }
}
