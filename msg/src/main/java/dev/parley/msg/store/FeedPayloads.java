package dev.parley.msg.store;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.msg.feed.FeedKind;
import dev.parley.msg.feed.FeedPayload;
import dev.parley.msg.settings.ChatState;
import dev.parley.msg.settings.NotifySettings;
import dev.parley.msg.settings.Previews;
import dev.parley.proto.store.StoredBlock;
import dev.parley.proto.store.StoredChatState;
import dev.parley.proto.store.StoredFriend;
import dev.parley.proto.store.StoredFriendRequest;
import dev.parley.proto.store.StoredNotifySettings;
import dev.parley.proto.store.StoredReadMarker;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Feed payloads to msg.feed.payload bytes and back, in the storage schema ({@code
 * parley/store/v1/stored.proto}), whose field numbers match the client updates that older rows
 * hold.
 */
final class FeedPayloads {
  private FeedPayloads() {}

  static byte @Nullable [] encode(@Nullable FeedPayload payload) {
    if (payload == null) return null;
    return switch (payload) {
      case FeedPayload.ReadMarker m ->
          StoredReadMarker.newBuilder()
              .setConversationId(m.conversationId())
              .setReadSeq(m.readSeq())
              .setUnreadCount(m.unreadCount())
              .setLastSeq(m.lastSeq())
              .setUnreadMentions(m.unreadMentions())
              .build()
              .toByteArray();
      case FeedPayload.FriendRequest r ->
          StoredFriendRequest.newBuilder()
              .setRequest(
                  StoredFriendRequest.Request.newBuilder()
                      .setFromUserId(r.fromUserId())
                      .setToUserId(r.toUserId())
                      .setNote(r.note())
                      .setCreatedAtMs(r.createdAt().toEpochMilli()))
              .setState(r.state().code)
              .build()
              .toByteArray();
      case FeedPayload.Friend f ->
          StoredFriend.newBuilder()
              .setUserId(f.userId())
              .setFriends(f.friends())
              .setSinceMs(f.since() == null ? 0 : f.since().toEpochMilli())
              .build()
              .toByteArray();
      case FeedPayload.ChatStateChanged c ->
          StoredChatState.newBuilder()
              .setConversationId(c.conversationId())
              .setMutedUntilMs(
                  c.state().mutedUntil() == null ? 0 : c.state().mutedUntil().toEpochMilli())
              .setMutedForever(c.state().mutedForever())
              .setPreviews(c.state().previews().code)
              .setPinRank(c.state().pinRank())
              .setArchived(c.state().archived())
              .setMarkedUnread(c.state().markedUnread())
              .setHasDraft(c.draftInTable() || c.state().draft() != null)
              .build()
              .toByteArray();
      case FeedPayload.NotifySettingsChanged n ->
          StoredNotifySettings.newBuilder()
              .setShowPreviews(n.settings().showPreviews())
              .setNotifyMentionsInMuted(n.settings().notifyMentionsInMuted())
              .build()
              .toByteArray();
      case FeedPayload.Block b ->
          StoredBlock.newBuilder()
              .setUserId(b.userId())
              .setBlocked(b.blocked())
              .build()
              .toByteArray();
    };
  }

  /**
   * The payload of a row of {@code kind}; {@code conversationId} and {@code seq} complete a
   * READ_MARKER row without payload (none are written so, but the column allows it).
   */
  static @Nullable FeedPayload decode(
      FeedKind kind, byte @Nullable [] bytes, long conversationId, long seq) {
    try {
      return switch (kind) {
        case ENTRY, READ_RECEIPT -> null;
        case READ_MARKER -> {
          if (bytes == null) yield new FeedPayload.ReadMarker(conversationId, seq, 0, 0, 0);
          StoredReadMarker m = StoredReadMarker.parseFrom(bytes);
          yield new FeedPayload.ReadMarker(
              m.getConversationId(),
              m.getReadSeq(),
              m.getUnreadCount(),
              m.getLastSeq(),
              m.getUnreadMentions());
        }
        case FRIEND_REQUEST -> {
          StoredFriendRequest r = StoredFriendRequest.parseFrom(bytes);
          yield new FeedPayload.FriendRequest(
              r.getRequest().getFromUserId(),
              r.getRequest().getToUserId(),
              r.getRequest().getNote(),
              Instant.ofEpochMilli(r.getRequest().getCreatedAtMs()),
              FeedPayload.RequestState.of(r.getState()));
        }
        case FRIEND -> {
          StoredFriend f = StoredFriend.parseFrom(bytes);
          yield new FeedPayload.Friend(
              f.getUserId(),
              f.getFriends(),
              f.getSinceMs() == 0 ? null : Instant.ofEpochMilli(f.getSinceMs()));
        }
        case BLOCK -> {
          StoredBlock b = StoredBlock.parseFrom(bytes);
          yield new FeedPayload.Block(b.getUserId(), b.getBlocked());
        }
        case CHAT_STATE -> {
          StoredChatState c = StoredChatState.parseFrom(bytes);
          yield new FeedPayload.ChatStateChanged(
              c.getConversationId(),
              new ChatState(
                  c.getMutedUntilMs() == 0 ? null : Instant.ofEpochMilli(c.getMutedUntilMs()),
                  c.getMutedForever(),
                  Previews.of(c.getPreviews()),
                  c.getPinRank(),
                  c.getArchived(),
                  c.getMarkedUnread(),
                  null),
              c.getHasDraft());
        }
        case NOTIFY_SETTINGS -> {
          StoredNotifySettings n = StoredNotifySettings.parseFrom(bytes);
          yield new FeedPayload.NotifySettingsChanged(
              new NotifySettings(n.getShowPreviews(), n.getNotifyMentionsInMuted()));
        }
      };
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("undecodable " + kind + " feed payload", e);
    }
  }
}
