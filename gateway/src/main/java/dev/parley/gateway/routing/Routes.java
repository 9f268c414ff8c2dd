package dev.parley.gateway.routing;

import static dev.parley.proto.client.Request.OpCase.*;

import dev.parley.gateway.ServiceChannels;
import dev.parley.proto.client.Request.OpCase;
import dev.parley.proto.client.Response.Builder;
import dev.parley.proto.internal.ChatSearchServiceGrpc;
import dev.parley.proto.internal.ChatSearchServiceGrpc.ChatSearchServiceFutureStub;
import dev.parley.proto.internal.FileServiceGrpc;
import dev.parley.proto.internal.FileServiceGrpc.FileServiceFutureStub;
import dev.parley.proto.internal.GroupServiceGrpc;
import dev.parley.proto.internal.GroupServiceGrpc.GroupServiceFutureStub;
import dev.parley.proto.internal.MessageServiceGrpc;
import dev.parley.proto.internal.MessageServiceGrpc.MessageServiceFutureStub;
import dev.parley.proto.internal.PinServiceGrpc;
import dev.parley.proto.internal.PinServiceGrpc.PinServiceFutureStub;
import dev.parley.proto.internal.ReactionServiceGrpc;
import dev.parley.proto.internal.ReactionServiceGrpc.ReactionServiceFutureStub;
import dev.parley.proto.internal.RelationServiceGrpc;
import dev.parley.proto.internal.RelationServiceGrpc.RelationServiceFutureStub;
import dev.parley.proto.internal.SearchServiceGrpc;
import dev.parley.proto.internal.SearchServiceGrpc.SearchServiceFutureStub;
import dev.parley.proto.internal.SettingsServiceGrpc;
import dev.parley.proto.internal.SettingsServiceGrpc.SettingsServiceFutureStub;
import dev.parley.proto.internal.TypingServiceGrpc;
import dev.parley.proto.internal.TypingServiceGrpc.TypingServiceFutureStub;
import dev.parley.proto.internal.UserServiceGrpc;
import dev.parley.proto.internal.UserServiceGrpc.UserServiceFutureStub;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The table from WebSocket operation to service call. An op's request field, the stub method and
 * the response field share one name, so every line reads the same, and an op of another service is
 * one more line (plus one {@code Route.service(...)} per service). {@code authenticate} and {@code
 * ping} are not here: the connection answers them itself. (Lines are kept unwrapped on purpose: the
 * table is easier to check as a table.)
 */
public final class Routes {
  private Routes() {}

  public static Map<OpCase, Route> of(ServiceChannels services) {
    Route.Service<UserServiceFutureStub> user =
        Route.service(services.user(), UserServiceGrpc::newFutureStub);

    Map<OpCase, Route> t = new EnumMap<>(OpCase.class);
    t.put(LOGOUT, user.unary((s, r) -> s.logout(r.getLogout()), Builder::setLogout));
    t.put(
        LIST_SESSIONS,
        user.unary((s, r) -> s.listSessions(r.getListSessions()), Builder::setListSessions));
    t.put(
        REVOKE_SESSION,
        user.unary((s, r) -> s.revokeSession(r.getRevokeSession()), Builder::setRevokeSession));
    t.put(
        REGISTER_PUSH_TARGET,
        user.unary(
            (s, r) -> s.registerPushTarget(r.getRegisterPushTarget()),
            Builder::setRegisterPushTarget));
    t.put(
        UNREGISTER_PUSH_TARGET,
        user.unary(
            (s, r) -> s.unregisterPushTarget(r.getUnregisterPushTarget()),
            Builder::setUnregisterPushTarget));
    t.put(
        GET_ACCOUNT, user.unary((s, r) -> s.getAccount(r.getGetAccount()), Builder::setGetAccount));
    t.put(
        GET_PROFILES,
        user.unary((s, r) -> s.getProfiles(r.getGetProfiles()), Builder::setGetProfiles));
    t.put(
        UPDATE_PROFILE,
        user.unary((s, r) -> s.updateProfile(r.getUpdateProfile()), Builder::setUpdateProfile));
    t.put(
        SET_PASSWORD,
        user.unary((s, r) -> s.setPassword(r.getSetPassword()), Builder::setSetPassword));
    t.put(
        LOOKUP_USER, user.unary((s, r) -> s.lookupUser(r.getLookupUser()), Builder::setLookupUser));
    t.put(
        LIST_SECURITY_EVENTS,
        user.unary(
            (s, r) -> s.listSecurityEvents(r.getListSecurityEvents()),
            Builder::setListSecurityEvents));
    t.put(
        GET_PRIVACY, user.unary((s, r) -> s.getPrivacy(r.getGetPrivacy()), Builder::setGetPrivacy));
    t.put(
        SET_PRIVACY, user.unary((s, r) -> s.setPrivacy(r.getSetPrivacy()), Builder::setSetPrivacy));

    Route.Service<RelationServiceFutureStub> rel =
        Route.service(services.msg(), RelationServiceGrpc::newFutureStub);
    t.put(
        SEND_FRIEND_REQUEST,
        rel.unary(
            (s, r) -> s.sendFriendRequest(r.getSendFriendRequest()),
            Builder::setSendFriendRequest));
    t.put(
        ACCEPT_FRIEND_REQUEST,
        rel.unary(
            (s, r) -> s.acceptFriendRequest(r.getAcceptFriendRequest()),
            Builder::setAcceptFriendRequest));
    t.put(
        DECLINE_FRIEND_REQUEST,
        rel.unary(
            (s, r) -> s.declineFriendRequest(r.getDeclineFriendRequest()),
            Builder::setDeclineFriendRequest));
    t.put(
        CANCEL_FRIEND_REQUEST,
        rel.unary(
            (s, r) -> s.cancelFriendRequest(r.getCancelFriendRequest()),
            Builder::setCancelFriendRequest));
    t.put(
        LIST_FRIEND_REQUESTS,
        rel.unary(
            (s, r) -> s.listFriendRequests(r.getListFriendRequests()),
            Builder::setListFriendRequests));
    t.put(
        LIST_FRIENDS,
        rel.unary((s, r) -> s.listFriends(r.getListFriends()), Builder::setListFriends));
    t.put(
        DELETE_FRIEND,
        rel.unary((s, r) -> s.deleteFriend(r.getDeleteFriend()), Builder::setDeleteFriend));
    t.put(BLOCK_USER, rel.unary((s, r) -> s.blockUser(r.getBlockUser()), Builder::setBlockUser));
    t.put(
        UNBLOCK_USER,
        rel.unary((s, r) -> s.unblockUser(r.getUnblockUser()), Builder::setUnblockUser));
    t.put(
        LIST_BLOCKED,
        rel.unary((s, r) -> s.listBlocked(r.getListBlocked()), Builder::setListBlocked));
    // In the message service because "contacts" are its friendships (design.md 13.2).
    t.put(
        GET_PRESENCE,
        rel.unary((s, r) -> s.getPresence(r.getGetPresence()), Builder::setGetPresence));

    Route.Service<ReactionServiceFutureStub> reactions =
        Route.service(services.msg(), ReactionServiceGrpc::newFutureStub);
    t.put(
        SET_REACTIONS,
        reactions.unary((s, r) -> s.setReactions(r.getSetReactions()), Builder::setSetReactions));
    t.put(
        GET_REACTORS,
        reactions.unary((s, r) -> s.getReactors(r.getGetReactors()), Builder::setGetReactors));
    Route.Service<PinServiceFutureStub> pins =
        Route.service(services.msg(), PinServiceGrpc::newFutureStub);
    t.put(
        PIN_MESSAGE, pins.unary((s, r) -> s.pinMessage(r.getPinMessage()), Builder::setPinMessage));
    t.put(
        UNPIN_MESSAGE,
        pins.unary((s, r) -> s.unpinMessage(r.getUnpinMessage()), Builder::setUnpinMessage));
    t.put(
        GET_PINNED_MESSAGES,
        pins.unary(
            (s, r) -> s.getPinnedMessages(r.getGetPinnedMessages()),
            Builder::setGetPinnedMessages));
    Route.Service<SearchServiceFutureStub> search =
        Route.service(services.msg(), SearchServiceGrpc::newFutureStub);
    t.put(
        SEARCH_MESSAGES,
        search.unary(
            (s, r) -> s.searchMessages(r.getSearchMessages()), Builder::setSearchMessages));
    Route.Service<ChatSearchServiceFutureStub> chatSearch =
        Route.service(services.msg(), ChatSearchServiceGrpc::newFutureStub);
    t.put(
        SEARCH_CHATS,
        chatSearch.unary((s, r) -> s.searchChats(r.getSearchChats()), Builder::setSearchChats));
    t.put(
        SEARCH_CONTACTS,
        chatSearch.unary(
            (s, r) -> s.searchContacts(r.getSearchContacts()), Builder::setSearchContacts));
    Route.Service<TypingServiceFutureStub> typing =
        Route.service(services.msg(), TypingServiceGrpc::newFutureStub);
    t.put(SET_TYPING, typing.unary((s, r) -> s.setTyping(r.getSetTyping()), Builder::setSetTyping));
    Route.Service<GroupServiceFutureStub> group =
        Route.service(services.msg(), GroupServiceGrpc::newFutureStub);
    t.put(
        CREATE_GROUP,
        group.unary((s, r) -> s.createGroup(r.getCreateGroup()), Builder::setCreateGroup));
    t.put(
        INVITE_MEMBERS,
        group.unary((s, r) -> s.inviteMembers(r.getInviteMembers()), Builder::setInviteMembers));
    t.put(
        REMOVE_MEMBER,
        group.unary((s, r) -> s.removeMember(r.getRemoveMember()), Builder::setRemoveMember));
    t.put(
        LEAVE_GROUP,
        group.unary((s, r) -> s.leaveGroup(r.getLeaveGroup()), Builder::setLeaveGroup));
    t.put(
        RENAME_GROUP,
        group.unary((s, r) -> s.renameGroup(r.getRenameGroup()), Builder::setRenameGroup));
    t.put(
        SET_MEMBER_ROLE,
        group.unary((s, r) -> s.setMemberRole(r.getSetMemberRole()), Builder::setSetMemberRole));
    t.put(
        TRANSFER_OWNERSHIP,
        group.unary(
            (s, r) -> s.transferOwnership(r.getTransferOwnership()),
            Builder::setTransferOwnership));
    t.put(
        DISBAND_GROUP,
        group.unary((s, r) -> s.disbandGroup(r.getDisbandGroup()), Builder::setDisbandGroup));

    Route.Service<MessageServiceFutureStub> msg =
        Route.service(services.msg(), MessageServiceGrpc::newFutureStub);
    t.put(
        GET_CONVERSATIONS,
        msg.unary(
            (s, r) -> s.getConversations(r.getGetConversations()), Builder::setGetConversations));
    t.put(
        GET_CONVERSATION,
        msg.unary(
            (s, r) -> s.getConversation(r.getGetConversation()), Builder::setGetConversation));
    t.put(
        SEND_MESSAGE,
        msg.unary((s, r) -> s.sendMessage(r.getSendMessage()), Builder::setSendMessage));
    t.put(
        RECALL_MESSAGE,
        msg.unary((s, r) -> s.recallMessage(r.getRecallMessage()), Builder::setRecallMessage));
    t.put(
        EDIT_MESSAGE,
        msg.unary((s, r) -> s.editMessage(r.getEditMessage()), Builder::setEditMessage));
    t.put(
        FORWARD_MESSAGES,
        msg.unary(
            (s, r) -> s.forwardMessages(r.getForwardMessages()), Builder::setForwardMessages));
    t.put(
        GET_MENTIONS,
        msg.unary((s, r) -> s.getMentions(r.getGetMentions()), Builder::setGetMentions));
    t.put(
        GET_HISTORY, msg.unary((s, r) -> s.getHistory(r.getGetHistory()), Builder::setGetHistory));
    t.put(
        GET_READ_COUNTS,
        msg.unary((s, r) -> s.getReadCounts(r.getGetReadCounts()), Builder::setGetReadCounts));
    t.put(GET_STATE, msg.unary((s, r) -> s.getState(r.getGetState()), Builder::setGetState));
    t.put(
        GET_DIFFERENCE,
        msg.unary((s, r) -> s.getDifference(r.getGetDifference()), Builder::setGetDifference));
    t.put(ACK, msg.unary((s, r) -> s.ack(r.getAck()), Builder::setAck));
    t.put(
        SYNC_GROUPS, msg.unary((s, r) -> s.syncGroups(r.getSyncGroups()), Builder::setSyncGroups));
    t.put(MARK_READ, msg.unary((s, r) -> s.markRead(r.getMarkRead()), Builder::setMarkRead));

    Route.Service<SettingsServiceFutureStub> settings =
        Route.service(services.msg(), SettingsServiceGrpc::newFutureStub);
    t.put(
        SET_CONVERSATION_MUTE,
        settings.unary(
            (s, r) -> s.setConversationMute(r.getSetConversationMute()),
            Builder::setSetConversationMute));
    t.put(
        SET_CONVERSATION_PREVIEWS,
        settings.unary(
            (s, r) -> s.setConversationPreviews(r.getSetConversationPreviews()),
            Builder::setSetConversationPreviews));
    t.put(
        GET_NOTIFY_SETTINGS,
        settings.unary(
            (s, r) -> s.getNotifySettings(r.getGetNotifySettings()),
            Builder::setGetNotifySettings));
    t.put(
        UPDATE_NOTIFY_SETTINGS,
        settings.unary(
            (s, r) -> s.updateNotifySettings(r.getUpdateNotifySettings()),
            Builder::setUpdateNotifySettings));
    // The rest of the chat state (design.md 13.3).
    t.put(
        SET_CHAT_PINNED,
        settings.unary((s, r) -> s.setChatPinned(r.getSetChatPinned()), Builder::setSetChatPinned));
    t.put(
        REORDER_PINNED_CHATS,
        settings.unary(
            (s, r) -> s.reorderPinnedChats(r.getReorderPinnedChats()),
            Builder::setReorderPinnedChats));
    t.put(
        SET_CHAT_ARCHIVED,
        settings.unary(
            (s, r) -> s.setChatArchived(r.getSetChatArchived()), Builder::setSetChatArchived));
    t.put(
        SET_MARKED_UNREAD,
        settings.unary(
            (s, r) -> s.setMarkedUnread(r.getSetMarkedUnread()), Builder::setSetMarkedUnread));
    t.put(
        SAVE_DRAFT, settings.unary((s, r) -> s.saveDraft(r.getSaveDraft()), Builder::setSaveDraft));

    // The msg role hosts the file service (design.md 11.1).
    Route.Service<FileServiceFutureStub> file =
        Route.service(services.msg(), FileServiceGrpc::newFutureStub);
    t.put(
        CREATE_UPLOAD,
        file.unary((s, r) -> s.createUpload(r.getCreateUpload()), Builder::setCreateUpload));
    t.put(
        GET_UPLOAD_PARTS,
        file.unary((s, r) -> s.getUploadParts(r.getGetUploadParts()), Builder::setGetUploadParts));
    t.put(
        COMPLETE_UPLOAD,
        file.unary((s, r) -> s.completeUpload(r.getCompleteUpload()), Builder::setCompleteUpload));
    t.put(
        GET_DOWNLOAD_URL,
        file.unary((s, r) -> s.getDownloadUrl(r.getGetDownloadUrl()), Builder::setGetDownloadUrl));
    return Collections.unmodifiableMap(t);
  }
}
