package dev.parley.client;

import dev.parley.proto.client.AcceptFriendRequestRequest;
import dev.parley.proto.client.AcceptFriendRequestResponse;
import dev.parley.proto.client.AckRequest;
import dev.parley.proto.client.AckResponse;
import dev.parley.proto.client.BlockUserRequest;
import dev.parley.proto.client.BlockUserResponse;
import dev.parley.proto.client.CancelFriendRequestRequest;
import dev.parley.proto.client.CancelFriendRequestResponse;
import dev.parley.proto.client.CompleteUploadRequest;
import dev.parley.proto.client.CompleteUploadResponse;
import dev.parley.proto.client.CreateGroupRequest;
import dev.parley.proto.client.CreateGroupResponse;
import dev.parley.proto.client.CreateUploadRequest;
import dev.parley.proto.client.CreateUploadResponse;
import dev.parley.proto.client.DeclineFriendRequestRequest;
import dev.parley.proto.client.DeclineFriendRequestResponse;
import dev.parley.proto.client.DeleteFriendRequest;
import dev.parley.proto.client.DeleteFriendResponse;
import dev.parley.proto.client.DisbandGroupRequest;
import dev.parley.proto.client.DisbandGroupResponse;
import dev.parley.proto.client.EditMessageRequest;
import dev.parley.proto.client.EditMessageResponse;
import dev.parley.proto.client.ForwardMessagesRequest;
import dev.parley.proto.client.ForwardMessagesResponse;
import dev.parley.proto.client.GetAccountRequest;
import dev.parley.proto.client.GetAccountResponse;
import dev.parley.proto.client.GetConversationRequest;
import dev.parley.proto.client.GetConversationResponse;
import dev.parley.proto.client.GetConversationsRequest;
import dev.parley.proto.client.GetConversationsResponse;
import dev.parley.proto.client.GetDifferenceRequest;
import dev.parley.proto.client.GetDifferenceResponse;
import dev.parley.proto.client.GetDownloadUrlRequest;
import dev.parley.proto.client.GetDownloadUrlResponse;
import dev.parley.proto.client.GetHistoryRequest;
import dev.parley.proto.client.GetHistoryResponse;
import dev.parley.proto.client.GetMentionsRequest;
import dev.parley.proto.client.GetMentionsResponse;
import dev.parley.proto.client.GetNotifySettingsRequest;
import dev.parley.proto.client.GetNotifySettingsResponse;
import dev.parley.proto.client.GetPinnedMessagesRequest;
import dev.parley.proto.client.GetPinnedMessagesResponse;
import dev.parley.proto.client.GetPresenceRequest;
import dev.parley.proto.client.GetPresenceResponse;
import dev.parley.proto.client.GetPrivacyRequest;
import dev.parley.proto.client.GetPrivacyResponse;
import dev.parley.proto.client.GetProfilesRequest;
import dev.parley.proto.client.GetProfilesResponse;
import dev.parley.proto.client.GetReactorsRequest;
import dev.parley.proto.client.GetReactorsResponse;
import dev.parley.proto.client.GetReadCountsRequest;
import dev.parley.proto.client.GetReadCountsResponse;
import dev.parley.proto.client.GetStateRequest;
import dev.parley.proto.client.GetStateResponse;
import dev.parley.proto.client.GetUploadPartsRequest;
import dev.parley.proto.client.GetUploadPartsResponse;
import dev.parley.proto.client.InviteMembersRequest;
import dev.parley.proto.client.InviteMembersResponse;
import dev.parley.proto.client.LeaveGroupRequest;
import dev.parley.proto.client.LeaveGroupResponse;
import dev.parley.proto.client.ListBlockedRequest;
import dev.parley.proto.client.ListBlockedResponse;
import dev.parley.proto.client.ListFriendRequestsRequest;
import dev.parley.proto.client.ListFriendRequestsResponse;
import dev.parley.proto.client.ListFriendsRequest;
import dev.parley.proto.client.ListFriendsResponse;
import dev.parley.proto.client.ListSecurityEventsRequest;
import dev.parley.proto.client.ListSecurityEventsResponse;
import dev.parley.proto.client.ListSessionsRequest;
import dev.parley.proto.client.ListSessionsResponse;
import dev.parley.proto.client.LogoutRequest;
import dev.parley.proto.client.LogoutResponse;
import dev.parley.proto.client.LookupUserRequest;
import dev.parley.proto.client.LookupUserResponse;
import dev.parley.proto.client.MarkReadRequest;
import dev.parley.proto.client.MarkReadResponse;
import dev.parley.proto.client.Mention;
import dev.parley.proto.client.PinMessageRequest;
import dev.parley.proto.client.PinMessageResponse;
import dev.parley.proto.client.PingRequest;
import dev.parley.proto.client.PingResponse;
import dev.parley.proto.client.PreviewMode;
import dev.parley.proto.client.PushTarget;
import dev.parley.proto.client.RecallMessageRequest;
import dev.parley.proto.client.RecallMessageResponse;
import dev.parley.proto.client.RegisterPushTargetRequest;
import dev.parley.proto.client.RegisterPushTargetResponse;
import dev.parley.proto.client.RemoveMemberRequest;
import dev.parley.proto.client.RemoveMemberResponse;
import dev.parley.proto.client.RenameGroupRequest;
import dev.parley.proto.client.RenameGroupResponse;
import dev.parley.proto.client.ReorderPinnedChatsRequest;
import dev.parley.proto.client.ReorderPinnedChatsResponse;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.Response;
import dev.parley.proto.client.RevokeSessionRequest;
import dev.parley.proto.client.RevokeSessionResponse;
import dev.parley.proto.client.Role;
import dev.parley.proto.client.SaveDraftRequest;
import dev.parley.proto.client.SaveDraftResponse;
import dev.parley.proto.client.SearchChatsRequest;
import dev.parley.proto.client.SearchChatsResponse;
import dev.parley.proto.client.SearchContactsRequest;
import dev.parley.proto.client.SearchContactsResponse;
import dev.parley.proto.client.SearchMessagesRequest;
import dev.parley.proto.client.SearchMessagesResponse;
import dev.parley.proto.client.SendFriendRequestRequest;
import dev.parley.proto.client.SendFriendRequestResponse;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.SendMessageResponse;
import dev.parley.proto.client.SetChatArchivedRequest;
import dev.parley.proto.client.SetChatArchivedResponse;
import dev.parley.proto.client.SetChatPinnedRequest;
import dev.parley.proto.client.SetChatPinnedResponse;
import dev.parley.proto.client.SetConversationMuteRequest;
import dev.parley.proto.client.SetConversationMuteResponse;
import dev.parley.proto.client.SetConversationPreviewsRequest;
import dev.parley.proto.client.SetConversationPreviewsResponse;
import dev.parley.proto.client.SetMarkedUnreadRequest;
import dev.parley.proto.client.SetMarkedUnreadResponse;
import dev.parley.proto.client.SetMemberRoleRequest;
import dev.parley.proto.client.SetMemberRoleResponse;
import dev.parley.proto.client.SetPasswordRequest;
import dev.parley.proto.client.SetPasswordResponse;
import dev.parley.proto.client.SetPrivacyRequest;
import dev.parley.proto.client.SetPrivacyResponse;
import dev.parley.proto.client.SetReactionsRequest;
import dev.parley.proto.client.SetReactionsResponse;
import dev.parley.proto.client.SetTypingRequest;
import dev.parley.proto.client.SetTypingResponse;
import dev.parley.proto.client.SyncGroupsRequest;
import dev.parley.proto.client.SyncGroupsResponse;
import dev.parley.proto.client.TransferOwnershipRequest;
import dev.parley.proto.client.TransferOwnershipResponse;
import dev.parley.proto.client.TypingState;
import dev.parley.proto.client.UnblockUserRequest;
import dev.parley.proto.client.UnblockUserResponse;
import dev.parley.proto.client.UnpinMessageRequest;
import dev.parley.proto.client.UnpinMessageResponse;
import dev.parley.proto.client.UnregisterPushTargetRequest;
import dev.parley.proto.client.UnregisterPushTargetResponse;
import dev.parley.proto.client.UpdateNotifySettingsRequest;
import dev.parley.proto.client.UpdateNotifySettingsResponse;
import dev.parley.proto.client.UpdateProfileRequest;
import dev.parley.proto.client.UpdateProfileResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The typed operations of the protocol, one method per {@code Request.op}, on top of {@link
 * #send(Request.Builder)}. Each completes with the operation's result message, or fails with {@link
 * ClientException} when the server answers with an error (plus the failures of {@code send}).
 *
 * <p>A new operation in {@code frames.proto} gets a one-line method here, built on {@link #call}.
 */
public abstract class Operations {
  Operations() {}

  /**
   * Sends a request and completes with the raw response; see {@link
   * Connection#send(Request.Builder)}.
   */
  public abstract CompletableFuture<Response> send(Request.Builder request);

  /**
   * Sends a request and extracts its result: fails with {@link ClientException} if the response
   * carries an error, with {@link ConnectionException} if it carries the result of a different
   * operation (the protocol gives each operation's request and result the same field number).
   */
  public <T> CompletableFuture<T> call(Request.Builder request, Function<Response, T> result) {
    return extract(request.getOpCase(), send(request), result);
  }

  /** What {@link #call} does with the response of an {@code op} request. */
  static <T> CompletableFuture<T> extract(
      Request.OpCase op, CompletableFuture<Response> answer, Function<Response, T> result) {
    return answer.thenCompose(
        response -> {
          if (response.hasError()) {
            return CompletableFuture.failedFuture(new ClientException(response.getError()));
          }
          if (response.getResultCase().getNumber() != op.getNumber()) {
            return CompletableFuture.failedFuture(
                new ConnectionException(
                    op + " was answered with " + response.getResultCase() + ": " + response));
          }
          return CompletableFuture.completedFuture(result.apply(response));
        });
  }

  public CompletableFuture<PingResponse> ping() {
    return call(Request.newBuilder().setPing(PingRequest.getDefaultInstance()), Response::getPing);
  }

  /** Ends this session; on success the connection is LOGGED_OUT and its token store cleared. */
  public CompletableFuture<LogoutResponse> logout() {
    return call(
        Request.newBuilder().setLogout(LogoutRequest.getDefaultInstance()), Response::getLogout);
  }

  public CompletableFuture<ListSessionsResponse> listSessions() {
    return call(
        Request.newBuilder().setListSessions(ListSessionsRequest.getDefaultInstance()),
        Response::getListSessions);
  }

  /** Logs out one of the user's sessions; the device is disconnected at once. */
  public CompletableFuture<RevokeSessionResponse> revokeSession(long sessionId) {
    return call(
        Request.newBuilder()
            .setRevokeSession(RevokeSessionRequest.newBuilder().setSessionId(sessionId)),
        Response::getRevokeSession);
  }

  /**
   * Sets this session's push target (an FCM token, an APNs device token or a Web Push
   * subscription), replacing the one it had.
   */
  public CompletableFuture<RegisterPushTargetResponse> registerPushTarget(PushTarget target) {
    return call(
        Request.newBuilder()
            .setRegisterPushTarget(RegisterPushTargetRequest.newBuilder().setTarget(target)),
        Response::getRegisterPushTarget);
  }

  /** Removes this session's push target: the device gets no more notifications. */
  public CompletableFuture<UnregisterPushTargetResponse> unregisterPushTarget() {
    return call(
        Request.newBuilder()
            .setUnregisterPushTarget(UnregisterPushTargetRequest.getDefaultInstance()),
        Response::getUnregisterPushTarget);
  }

  /** Mutes a conversation until a time (ms since the epoch). */
  public CompletableFuture<SetConversationMuteResponse> setConversationMute(
      long conversationId, long untilMs) {
    return setConversationMute(
        SetConversationMuteRequest.newBuilder()
            .setConversationId(conversationId)
            .setUntilMs(untilMs)
            .build());
  }

  /** Mutes a conversation until it is unmuted. */
  public CompletableFuture<SetConversationMuteResponse> muteConversationForever(
      long conversationId) {
    return setConversationMute(
        SetConversationMuteRequest.newBuilder()
            .setConversationId(conversationId)
            .setForever(true)
            .build());
  }

  /** Ends a conversation's mute (timed or forever). */
  public CompletableFuture<SetConversationMuteResponse> unmuteConversation(long conversationId) {
    return setConversationMute(
        SetConversationMuteRequest.newBuilder()
            .setConversationId(conversationId)
            .setOff(true)
            .build());
  }

  /** Mutes (until_ms or forever) or unmutes (off) a conversation. */
  public CompletableFuture<SetConversationMuteResponse> setConversationMute(
      SetConversationMuteRequest request) {
    return call(
        Request.newBuilder().setSetConversationMute(request), Response::getSetConversationMute);
  }

  /** Sets the conversation's preview exception; PREVIEW_MODE_DEFAULT follows the global switch. */
  public CompletableFuture<SetConversationPreviewsResponse> setConversationPreviews(
      long conversationId, PreviewMode previews) {
    return call(
        Request.newBuilder()
            .setSetConversationPreviews(
                SetConversationPreviewsRequest.newBuilder()
                    .setConversationId(conversationId)
                    .setPreviews(previews)),
        Response::getSetConversationPreviews);
  }

  /** Pins a conversation on top of the pinned ones, or unpins it (docs/protocol.md 19). */
  public CompletableFuture<SetChatPinnedResponse> setChatPinned(
      long conversationId, boolean pinned) {
    return call(
        Request.newBuilder()
            .setSetChatPinned(
                SetChatPinnedRequest.newBuilder()
                    .setConversationId(conversationId)
                    .setPinned(pinned)),
        Response::getSetChatPinned);
  }

  /** Sets the order of the pinned conversations, top first; it must name each pinned one. */
  public CompletableFuture<ReorderPinnedChatsResponse> reorderPinnedChats(
      List<Long> conversationIds) {
    return call(
        Request.newBuilder()
            .setReorderPinnedChats(
                ReorderPinnedChatsRequest.newBuilder().addAllConversationIds(conversationIds)),
        Response::getReorderPinnedChats);
  }

  public CompletableFuture<SetChatArchivedResponse> setChatArchived(
      long conversationId, boolean archived) {
    return call(
        Request.newBuilder()
            .setSetChatArchived(
                SetChatArchivedRequest.newBuilder()
                    .setConversationId(conversationId)
                    .setArchived(archived)),
        Response::getSetChatArchived);
  }

  public CompletableFuture<SetMarkedUnreadResponse> setMarkedUnread(
      long conversationId, boolean markedUnread) {
    return call(
        Request.newBuilder()
            .setSetMarkedUnread(
                SetMarkedUnreadRequest.newBuilder()
                    .setConversationId(conversationId)
                    .setMarkedUnread(markedUnread)),
        Response::getSetMarkedUnread);
  }

  /** Saves the conversation's draft; an empty text and reply_to_seq 0 delete it. */
  public CompletableFuture<SaveDraftResponse> saveDraft(
      long conversationId, String text, long replyToSeq) {
    return call(
        Request.newBuilder()
            .setSaveDraft(
                SaveDraftRequest.newBuilder()
                    .setConversationId(conversationId)
                    .setText(text)
                    .setReplyToSeq(replyToSeq)),
        Response::getSaveDraft);
  }

  public CompletableFuture<GetNotifySettingsResponse> getNotifySettings() {
    return call(
        Request.newBuilder().setGetNotifySettings(GetNotifySettingsRequest.getDefaultInstance()),
        Response::getGetNotifySettings);
  }

  /** Changes the fields that are present in the request. */
  public CompletableFuture<UpdateNotifySettingsResponse> updateNotifySettings(
      UpdateNotifySettingsRequest request) {
    return call(
        Request.newBuilder().setUpdateNotifySettings(request), Response::getUpdateNotifySettings);
  }

  public CompletableFuture<GetAccountResponse> getAccount() {
    return call(
        Request.newBuilder().setGetAccount(GetAccountRequest.getDefaultInstance()),
        Response::getGetAccount);
  }

  /** Profiles of the given users (at most 100); unknown ids are left out of the answer. */
  public CompletableFuture<GetProfilesResponse> getProfiles(Iterable<Long> userIds) {
    return call(
        Request.newBuilder().setGetProfiles(GetProfilesRequest.newBuilder().addAllUserIds(userIds)),
        Response::getGetProfiles);
  }

  /** Changes the fields that are present in {@code request}. */
  public CompletableFuture<UpdateProfileResponse> updateProfile(UpdateProfileRequest request) {
    return call(Request.newBuilder().setUpdateProfile(request), Response::getUpdateProfile);
  }

  /**
   * Sets or changes the password; {@code currentPassword} may be empty when the account has none.
   * The account's other sessions are logged out (the server's default).
   */
  public CompletableFuture<SetPasswordResponse> setPassword(
      String currentPassword, String newPassword) {
    return call(
        Request.newBuilder()
            .setSetPassword(
                SetPasswordRequest.newBuilder()
                    .setCurrentPassword(currentPassword)
                    .setNewPassword(newPassword)),
        Response::getSetPassword);
  }

  /** Exact lookup by username, e-mail or phone. */
  public CompletableFuture<LookupUserResponse> lookupUser(LookupUserRequest request) {
    return call(Request.newBuilder().setLookupUser(request), Response::getLookupUser);
  }

  /** The caller's own recent security events, newest first. */
  public CompletableFuture<ListSecurityEventsResponse> listSecurityEvents(
      ListSecurityEventsRequest request) {
    return call(
        Request.newBuilder().setListSecurityEvents(request), Response::getListSecurityEvents);
  }

  // --- privacy and presence (protocol.md section 21) ---

  public CompletableFuture<GetPrivacyResponse> getPrivacy() {
    return call(
        Request.newBuilder().setGetPrivacy(GetPrivacyRequest.getDefaultInstance()),
        Response::getGetPrivacy);
  }

  /** Changes what {@code request} names; the answer holds the whole settings after the change. */
  public CompletableFuture<SetPrivacyResponse> setPrivacy(SetPrivacyRequest request) {
    return call(Request.newBuilder().setSetPrivacy(request), Response::getSetPrivacy);
  }

  /** What the caller may know of each user's presence (at most 100 users). */
  public CompletableFuture<GetPresenceResponse> getPresence(Iterable<Long> userIds) {
    return call(
        Request.newBuilder().setGetPresence(GetPresenceRequest.newBuilder().addAllUserIds(userIds)),
        Response::getGetPresence);
  }

  // --- files (protocol.md section 17) ---

  /**
   * Asks to upload a file: answers the plan (one presigned PUT or multipart parts) and, when the
   * content is already stored, a dedup challenge.
   */
  public CompletableFuture<CreateUploadResponse> createUpload(CreateUploadRequest request) {
    return call(Request.newBuilder().setCreateUpload(request), Response::getCreateUpload);
  }

  /** Which parts of a multipart upload are stored, with presigned URLs for the missing ones. */
  public CompletableFuture<GetUploadPartsResponse> getUploadParts(GetUploadPartsRequest request) {
    return call(Request.newBuilder().setGetUploadParts(request), Response::getGetUploadParts);
  }

  /** Completes an upload: the server verifies size, hash and type, then the file is usable. */
  public CompletableFuture<CompleteUploadResponse> completeUpload(CompleteUploadRequest request) {
    return call(Request.newBuilder().setCompleteUpload(request), Response::getCompleteUpload);
  }

  /** A short-lived presigned URL to download a file. */
  public CompletableFuture<GetDownloadUrlResponse> getDownloadUrl(GetDownloadUrlRequest request) {
    return call(Request.newBuilder().setGetDownloadUrl(request), Response::getGetDownloadUrl);
  }

  // --- relations ---

  /**
   * Sends a friend request, or accepts the user's pending request to the caller (then {@code
   * friends}).
   */
  public CompletableFuture<SendFriendRequestResponse> sendFriendRequest(long userId, String note) {
    return call(
        Request.newBuilder()
            .setSendFriendRequest(
                SendFriendRequestRequest.newBuilder().setUserId(userId).setNote(note)),
        Response::getSendFriendRequest);
  }

  /** Accepts the request {@code userId} sent to the caller. */
  public CompletableFuture<AcceptFriendRequestResponse> acceptFriendRequest(long userId) {
    return call(
        Request.newBuilder()
            .setAcceptFriendRequest(AcceptFriendRequestRequest.newBuilder().setUserId(userId)),
        Response::getAcceptFriendRequest);
  }

  public CompletableFuture<DeclineFriendRequestResponse> declineFriendRequest(long userId) {
    return call(
        Request.newBuilder()
            .setDeclineFriendRequest(DeclineFriendRequestRequest.newBuilder().setUserId(userId)),
        Response::getDeclineFriendRequest);
  }

  /** Withdraws the request the caller sent to {@code userId}. */
  public CompletableFuture<CancelFriendRequestResponse> cancelFriendRequest(long userId) {
    return call(
        Request.newBuilder()
            .setCancelFriendRequest(CancelFriendRequestRequest.newBuilder().setUserId(userId)),
        Response::getCancelFriendRequest);
  }

  public CompletableFuture<ListFriendRequestsResponse> listFriendRequests() {
    return call(
        Request.newBuilder().setListFriendRequests(ListFriendRequestsRequest.getDefaultInstance()),
        Response::getListFriendRequests);
  }

  public CompletableFuture<ListFriendsResponse> listFriends() {
    return call(
        Request.newBuilder().setListFriends(ListFriendsRequest.getDefaultInstance()),
        Response::getListFriends);
  }

  /** Ends the friendship on both sides. */
  public CompletableFuture<DeleteFriendResponse> deleteFriend(long userId) {
    return call(
        Request.newBuilder().setDeleteFriend(DeleteFriendRequest.newBuilder().setUserId(userId)),
        Response::getDeleteFriend);
  }

  public CompletableFuture<BlockUserResponse> blockUser(long userId) {
    return call(
        Request.newBuilder().setBlockUser(BlockUserRequest.newBuilder().setUserId(userId)),
        Response::getBlockUser);
  }

  public CompletableFuture<UnblockUserResponse> unblockUser(long userId) {
    return call(
        Request.newBuilder().setUnblockUser(UnblockUserRequest.newBuilder().setUserId(userId)),
        Response::getUnblockUser);
  }

  public CompletableFuture<ListBlockedResponse> listBlocked() {
    return call(
        Request.newBuilder().setListBlocked(ListBlockedRequest.getDefaultInstance()),
        Response::getListBlocked);
  }

  // --- conversations and groups ---

  /**
   * Creates a group owned by the caller; {@code userIds} are the other first members (may be
   * empty).
   */
  public CompletableFuture<CreateGroupResponse> createGroup(String title, Iterable<Long> userIds) {
    return call(
        Request.newBuilder()
            .setCreateGroup(CreateGroupRequest.newBuilder().setTitle(title).addAllUserIds(userIds)),
        Response::getCreateGroup);
  }

  public CompletableFuture<InviteMembersResponse> inviteMembers(
      long conversationId, Iterable<Long> userIds) {
    return call(
        Request.newBuilder()
            .setInviteMembers(
                InviteMembersRequest.newBuilder()
                    .setConversationId(conversationId)
                    .addAllUserIds(userIds)),
        Response::getInviteMembers);
  }

  public CompletableFuture<RemoveMemberResponse> removeMember(long conversationId, long userId) {
    return call(
        Request.newBuilder()
            .setRemoveMember(
                RemoveMemberRequest.newBuilder()
                    .setConversationId(conversationId)
                    .setUserId(userId)),
        Response::getRemoveMember);
  }

  public CompletableFuture<LeaveGroupResponse> leaveGroup(long conversationId) {
    return call(
        Request.newBuilder()
            .setLeaveGroup(LeaveGroupRequest.newBuilder().setConversationId(conversationId)),
        Response::getLeaveGroup);
  }

  public CompletableFuture<RenameGroupResponse> renameGroup(long conversationId, String title) {
    return call(
        Request.newBuilder()
            .setRenameGroup(
                RenameGroupRequest.newBuilder().setConversationId(conversationId).setTitle(title)),
        Response::getRenameGroup);
  }

  /** Makes a member an admin or an admin a member ({@code ROLE_ADMIN} or {@code ROLE_MEMBER}). */
  public CompletableFuture<SetMemberRoleResponse> setMemberRole(
      long conversationId, long userId, Role role) {
    return call(
        Request.newBuilder()
            .setSetMemberRole(
                SetMemberRoleRequest.newBuilder()
                    .setConversationId(conversationId)
                    .setUserId(userId)
                    .setRole(role)),
        Response::getSetMemberRole);
  }

  public CompletableFuture<TransferOwnershipResponse> transferOwnership(
      long conversationId, long userId) {
    return call(
        Request.newBuilder()
            .setTransferOwnership(
                TransferOwnershipRequest.newBuilder()
                    .setConversationId(conversationId)
                    .setUserId(userId)),
        Response::getTransferOwnership);
  }

  public CompletableFuture<DisbandGroupResponse> disbandGroup(long conversationId) {
    return call(
        Request.newBuilder()
            .setDisbandGroup(DisbandGroupRequest.newBuilder().setConversationId(conversationId)),
        Response::getDisbandGroup);
  }

  /**
   * A page of the conversation list, most recently active first. {@code limit} 1..100 (0: the
   * server's default); {@code cursor} is empty for the first page, else the previous page's {@code
   * next_cursor}.
   */
  public CompletableFuture<GetConversationsResponse> getConversations(int limit, String cursor) {
    return call(
        Request.newBuilder()
            .setGetConversations(
                GetConversationsRequest.newBuilder().setLimit(limit).setCursor(cursor)),
        Response::getGetConversations);
  }

  /** One conversation with its members. */
  public CompletableFuture<GetConversationResponse> getConversation(long conversationId) {
    return call(
        Request.newBuilder()
            .setGetConversation(
                GetConversationRequest.newBuilder().setConversationId(conversationId)),
        Response::getGetConversation);
  }

  // --- messages ---

  /**
   * One attempt at sending a message, as is: no retries, and {@code client_msg_id} must be set.
   * {@link Messenger#send} adds the retries that make a send exactly-once.
   */
  public CompletableFuture<SendMessageResponse> sendMessage(SendMessageRequest request) {
    return call(Request.newBuilder().setSendMessage(request), Response::getSendMessage);
  }

  /** Recalls the entry {@code seq}; the answer is the seq of the appended recall entry. */
  public CompletableFuture<RecallMessageResponse> recallMessage(long conversationId, long seq) {
    return call(
        Request.newBuilder()
            .setRecallMessage(
                RecallMessageRequest.newBuilder().setConversationId(conversationId).setSeq(seq)),
        Response::getRecallMessage);
  }

  /**
   * Edits the text (or caption) of the caller's message {@code seq}, with a text's new mentions;
   * the answer is the seq of the appended edit entry.
   */
  public CompletableFuture<EditMessageResponse> editMessage(
      long conversationId, long seq, String text, Iterable<Mention> mentions) {
    return call(
        Request.newBuilder()
            .setEditMessage(
                EditMessageRequest.newBuilder()
                    .setConversationId(conversationId)
                    .setSeq(seq)
                    .setText(text)
                    .addAllMentions(mentions)),
        Response::getEditMessage);
  }

  /**
   * Copies messages {@code seqs} of {@code fromConversationId} into each target conversation
   * (forward_messages): one result per target, with its copies' seqs or its refusal. Retrying with
   * the same {@code clientMsgId} stores only the copies that are missing.
   */
  public CompletableFuture<ForwardMessagesResponse> forwardMessages(
      long fromConversationId,
      Iterable<Long> seqs,
      Iterable<Long> toConversationIds,
      String clientMsgId) {
    return call(
        Request.newBuilder()
            .setForwardMessages(
                ForwardMessagesRequest.newBuilder()
                    .setFromConversationId(fromConversationId)
                    .addAllSeqs(seqs)
                    .addAllToConversationIds(toConversationIds)
                    .setClientMsgId(clientMsgId)),
        Response::getForwardMessages);
  }

  /**
   * The next messages after {@code afterSeq} that mention the caller (or @all), and the unread
   * mentions: "jump to the next mention".
   */
  public CompletableFuture<GetMentionsResponse> getMentions(
      long conversationId, long afterSeq, int limit) {
    return call(
        Request.newBuilder()
            .setGetMentions(
                GetMentionsRequest.newBuilder()
                    .setConversationId(conversationId)
                    .setAfterSeq(afterSeq)
                    .setLimit(limit)),
        Response::getGetMentions);
  }

  /**
   * Makes {@code emoji} the caller's full set of reactions on message {@code seq} (empty removes
   * them); the answer has the message's counts after it.
   */
  public CompletableFuture<SetReactionsResponse> setReactions(
      long conversationId, long seq, Iterable<String> emoji) {
    return call(
        Request.newBuilder()
            .setSetReactions(
                SetReactionsRequest.newBuilder()
                    .setConversationId(conversationId)
                    .setSeq(seq)
                    .addAllEmoji(emoji)),
        Response::getSetReactions);
  }

  /**
   * Tells the conversation's other members' devices what the user is doing (docs/protocol.md
   * section 20). Success does not mean it was forwarded: repeats within two seconds are answered
   * without being forwarded; CANCEL clears the indicator at once.
   */
  public CompletableFuture<SetTypingResponse> setTyping(
      long conversationId, TypingState.Action action) {
    return call(
        Request.newBuilder()
            .setSetTyping(
                SetTypingRequest.newBuilder().setConversationId(conversationId).setAction(action)),
        Response::getSetTyping);
  }

  /**
   * Who reacted to message {@code seq} ({@code emoji} empty: with any emoji), a page after {@code
   * cursor} (empty: the first).
   */
  public CompletableFuture<GetReactorsResponse> getReactors(
      long conversationId, long seq, String emoji, String cursor, int limit) {
    return call(
        Request.newBuilder()
            .setGetReactors(
                GetReactorsRequest.newBuilder()
                    .setConversationId(conversationId)
                    .setSeq(seq)
                    .setEmoji(emoji)
                    .setCursor(cursor)
                    .setLimit(limit)),
        Response::getGetReactors);
  }

  /**
   * Pins message {@code seq} (group admins and the owner; both users of a one-to-one chat); the
   * answer's seq is the pin entry's, 0 when it was pinned already.
   */
  public CompletableFuture<PinMessageResponse> pinMessage(long conversationId, long seq) {
    return call(
        Request.newBuilder()
            .setPinMessage(
                PinMessageRequest.newBuilder().setConversationId(conversationId).setSeq(seq)),
        Response::getPinMessage);
  }

  /** Unpins message {@code seq}; the answer's seq is 0 when it was not pinned. */
  public CompletableFuture<UnpinMessageResponse> unpinMessage(long conversationId, long seq) {
    return call(
        Request.newBuilder()
            .setUnpinMessage(
                UnpinMessageRequest.newBuilder().setConversationId(conversationId).setSeq(seq)),
        Response::getUnpinMessage);
  }

  /**
   * A page of the conversation's pinned messages that the caller can see, most recently pinned
   * first, pinned before the pin entry {@code beforePinSeq} (0: from the newest).
   */
  public CompletableFuture<GetPinnedMessagesResponse> getPinnedMessages(
      long conversationId, long beforePinSeq, int limit) {
    return call(
        Request.newBuilder()
            .setGetPinnedMessages(
                GetPinnedMessagesRequest.newBuilder()
                    .setConversationId(conversationId)
                    .setBeforePinSeq(beforePinSeq)
                    .setLimit(limit)),
        Response::getGetPinnedMessages);
  }

  /**
   * One page of messages the caller can see that match a query, newest first (protocol.md 22); pass
   * the answer's next_cursor back for the next page.
   */
  public CompletableFuture<SearchMessagesResponse> searchMessages(SearchMessagesRequest request) {
    return call(Request.newBuilder().setSearchMessages(request), Response::getSearchMessages);
  }

  /**
   * The caller's chats whose title, peer's name or a member's name matches (protocol.md 22.2), best
   * first; at most {@code limit} (0: 20).
   */
  public CompletableFuture<SearchChatsResponse> searchChats(String query, int limit) {
    return call(
        Request.newBuilder()
            .setSearchChats(SearchChatsRequest.newBuilder().setQuery(query).setLimit(limit)),
        Response::getSearchChats);
  }

  /**
   * The caller's contacts (friends) whose display name or username matches (protocol.md 22.3), best
   * first; at most {@code limit} (0: 20).
   */
  public CompletableFuture<SearchContactsResponse> searchContacts(String query, int limit) {
    return call(
        Request.newBuilder()
            .setSearchContacts(SearchContactsRequest.newBuilder().setQuery(query).setLimit(limit)),
        Response::getSearchContacts);
  }

  /** A page of a conversation's log: see {@link GetHistoryRequest} for the two directions. */
  public CompletableFuture<GetHistoryResponse> getHistory(GetHistoryRequest request) {
    return call(Request.newBuilder().setGetHistory(request), Response::getGetHistory);
  }

  /**
   * How many members other than the sender have read each of the given entries (at most 100) of a
   * group.
   */
  public CompletableFuture<GetReadCountsResponse> getReadCounts(
      long conversationId, Iterable<Long> seqs) {
    return call(
        Request.newBuilder()
            .setGetReadCounts(
                GetReadCountsRequest.newBuilder()
                    .setConversationId(conversationId)
                    .addAllSeqs(seqs)),
        Response::getGetReadCounts);
  }

  // --- sync and read state ---

  /** The current position of the caller's update feed. */
  public CompletableFuture<GetStateResponse> getState() {
    return call(
        Request.newBuilder().setGetState(GetStateRequest.getDefaultInstance()),
        Response::getGetState);
  }

  /**
   * The feed's updates after {@code pts}, oldest first; {@code limit} 1..1000 (0: the server's
   * default).
   */
  public CompletableFuture<GetDifferenceResponse> getDifference(long pts, int limit) {
    return call(
        Request.newBuilder()
            .setGetDifference(GetDifferenceRequest.newBuilder().setPts(pts).setLimit(limit)),
        Response::getGetDifference);
  }

  /** Tells the server that this device has applied every update up to {@code pts}. */
  public CompletableFuture<AckResponse> ack(long pts) {
    return call(Request.newBuilder().setAck(AckRequest.newBuilder().setPts(pts)), Response::getAck);
  }

  /**
   * The entries of the listed groups after the seqs held ({@code conversation_ids[i]} held up to
   * {@code seqs[i]}), with the seq to hold afterwards per group that moved; see {@link
   * SyncGroupsRequest}.
   */
  public CompletableFuture<SyncGroupsResponse> syncGroups(SyncGroupsRequest request) {
    return call(Request.newBuilder().setSyncGroups(request), Response::getSyncGroups);
  }

  /** Moves the caller's read marker in a conversation forward to {@code seq} (never backward). */
  public CompletableFuture<MarkReadResponse> markRead(long conversationId, long seq) {
    return call(
        Request.newBuilder()
            .setMarkRead(
                MarkReadRequest.newBuilder().setConversationId(conversationId).setSeq(seq)),
        Response::getMarkRead);
  }
}
