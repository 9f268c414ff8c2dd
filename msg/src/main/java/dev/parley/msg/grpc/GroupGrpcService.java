package dev.parley.msg.grpc;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.core.Caller;
import dev.parley.msg.core.ConversationList;
import dev.parley.msg.core.GroupManager;
import dev.parley.msg.store.MemberRow;
import dev.parley.proto.client.CreateGroupRequest;
import dev.parley.proto.client.CreateGroupResponse;
import dev.parley.proto.client.DisbandGroupRequest;
import dev.parley.proto.client.DisbandGroupResponse;
import dev.parley.proto.client.InviteMembersRequest;
import dev.parley.proto.client.InviteMembersResponse;
import dev.parley.proto.client.LeaveGroupRequest;
import dev.parley.proto.client.LeaveGroupResponse;
import dev.parley.proto.client.RemoveMemberRequest;
import dev.parley.proto.client.RemoveMemberResponse;
import dev.parley.proto.client.RenameGroupRequest;
import dev.parley.proto.client.RenameGroupResponse;
import dev.parley.proto.client.SetMemberRoleRequest;
import dev.parley.proto.client.SetMemberRoleResponse;
import dev.parley.proto.client.TransferOwnershipRequest;
import dev.parley.proto.client.TransferOwnershipResponse;
import dev.parley.proto.internal.GroupServiceGrpc;
import io.grpc.stub.StreamObserver;
import java.util.List;

/**
 * The gRPC edge of group management: validation and proto conversion only. Who may do what is
 * GroupManager's business. A changing call answers the seq of the service entry it wrote (0 when
 * nothing changed).
 */
public final class GroupGrpcService extends GroupServiceGrpc.GroupServiceImplBase {
  private final GroupManager groups;
  private final ConversationList conversations;

  public GroupGrpcService(GroupManager groups, ConversationList conversations) {
    this.groups = groups;
    this.conversations = conversations;
  }

  @Override
  public void createGroup(CreateGroupRequest r, StreamObserver<CreateGroupResponse> out) {
    Caller caller = Callers.current();
    long id =
        groups.create(caller, TextRules.title(r.getTitle(), "title"), userIds(r.getUserIdsList()));
    ConversationList.Summary created = conversations.get(caller, id).summary();
    reply(
        out,
        CreateGroupResponse.newBuilder().setConversation(Protos.conversation(created)).build());
  }

  @Override
  public void inviteMembers(InviteMembersRequest r, StreamObserver<InviteMembersResponse> out) {
    Caller caller = Callers.current();
    long conversationId = Limits.id(r.getConversationId(), "conversation_id");
    if (r.getUserIdsCount() == 0)
      throw ParleyException.invalid("user_ids", "Name at least one user to invite");
    long seq = groups.invite(caller, conversationId, userIds(r.getUserIdsList()));
    reply(out, InviteMembersResponse.newBuilder().setSeq(seq).build());
  }

  @Override
  public void removeMember(RemoveMemberRequest r, StreamObserver<RemoveMemberResponse> out) {
    Caller caller = Callers.current();
    long seq =
        groups.remove(
            caller,
            Limits.id(r.getConversationId(), "conversation_id"),
            Limits.id(r.getUserId(), "user_id"));
    reply(out, RemoveMemberResponse.newBuilder().setSeq(seq).build());
  }

  @Override
  public void leaveGroup(LeaveGroupRequest r, StreamObserver<LeaveGroupResponse> out) {
    Caller caller = Callers.current();
    long seq = groups.leave(caller, Limits.id(r.getConversationId(), "conversation_id"));
    reply(out, LeaveGroupResponse.newBuilder().setSeq(seq).build());
  }

  @Override
  public void renameGroup(RenameGroupRequest r, StreamObserver<RenameGroupResponse> out) {
    Caller caller = Callers.current();
    long conversationId = Limits.id(r.getConversationId(), "conversation_id");
    long seq = groups.rename(caller, conversationId, TextRules.title(r.getTitle(), "title"));
    reply(out, RenameGroupResponse.newBuilder().setSeq(seq).build());
  }

  @Override
  public void setMemberRole(SetMemberRoleRequest r, StreamObserver<SetMemberRoleResponse> out) {
    Caller caller = Callers.current();
    long conversationId = Limits.id(r.getConversationId(), "conversation_id");
    long userId = Limits.id(r.getUserId(), "user_id");
    int role =
        switch (r.getRole()) {
          case ROLE_ADMIN -> MemberRow.ADMIN;
          case ROLE_MEMBER -> MemberRow.MEMBER;
          default ->
              throw ParleyException.invalid("role", "role must be ROLE_ADMIN or ROLE_MEMBER");
        };
    long seq = groups.setRole(caller, conversationId, userId, role);
    reply(out, SetMemberRoleResponse.newBuilder().setSeq(seq).build());
  }

  @Override
  public void transferOwnership(
      TransferOwnershipRequest r, StreamObserver<TransferOwnershipResponse> out) {
    Caller caller = Callers.current();
    long seq =
        groups.transferOwnership(
            caller,
            Limits.id(r.getConversationId(), "conversation_id"),
            Limits.id(r.getUserId(), "user_id"));
    reply(out, TransferOwnershipResponse.newBuilder().setSeq(seq).build());
  }

  @Override
  public void disbandGroup(DisbandGroupRequest r, StreamObserver<DisbandGroupResponse> out) {
    Caller caller = Callers.current();
    long seq = groups.disband(caller, Limits.id(r.getConversationId(), "conversation_id"));
    reply(out, DisbandGroupResponse.newBuilder().setSeq(seq).build());
  }

  /** Every id positive; duplicates are harmless (the manager drops them). */
  private static long[] userIds(List<Long> ids) {
    return ids.stream().mapToLong(id -> Limits.id(id, "user_ids")).toArray();
  }

  private static <T> void reply(StreamObserver<T> out, T value) {
    out.onNext(value);
    out.onCompleted();
  }
}
