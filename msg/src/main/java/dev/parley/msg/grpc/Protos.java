package dev.parley.msg.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.msg.core.ConversationList.Summary;
import dev.parley.msg.feed.FeedItem;
import dev.parley.msg.feed.FeedKind;
import dev.parley.msg.feed.FeedRow;
import dev.parley.msg.store.ConversationRow;
import dev.parley.msg.store.Entry;
import dev.parley.msg.store.MemberRow;
import dev.parley.proto.client.BlockUpdate;
import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.ConversationType;
import dev.parley.proto.client.FriendRequestUpdate;
import dev.parley.proto.client.FriendUpdate;
import dev.parley.proto.client.Member;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.ReadMarker;
import dev.parley.proto.client.ReadReceipt;
import dev.parley.proto.client.Role;
import dev.parley.proto.client.Update;
import java.time.Instant;

/**
 * Domain values to wire messages. Entry content is stored as a serialized Message holding only its
 * content oneof, so turning an entry into a Message is a merge of those bytes into the header.
 */
public final class Protos {
  private Protos() {}

  public static Message message(Entry e) {
    Message.Builder b =
        Message.newBuilder()
            .setConversationId(e.conversationId())
            .setSeq(e.seq())
            .setMessageId(e.messageId())
            .setSenderId(e.senderId())
            .setSentAtMs(ms(e.createdAt()));
    if (e.clientMsgId() != null) b.setClientMsgId(e.clientMsgId());
    if (e.content() != null) {
      try {
        b.mergeFrom(e.content());
      } catch (InvalidProtocolBufferException x) {
        throw new IllegalStateException("entry " + e.conversationId() + "/" + e.seq() + " holds undecodable content", x);
      }
    }
    if (e.recalled()) b.setRecalled(true).setRecalledAtMs(ms(e.recalledAt()));
    return b.build();
  }

  public static Role role(int role) {
    return switch (role) {
      case MemberRow.OWNER -> Role.ROLE_OWNER;
      case MemberRow.ADMIN -> Role.ROLE_ADMIN;
      default -> Role.ROLE_MEMBER;
    };
  }

  public static Conversation conversation(Summary s) {
    ConversationRow c = s.conversation();
    MemberRow me = s.me();
    Conversation.Builder b =
        Conversation.newBuilder()
            .setConversationId(c.conversationId())
            .setType(c.direct() ? ConversationType.CONVERSATION_TYPE_DIRECT : ConversationType.CONVERSATION_TYPE_GROUP)
            .setLastSeq(me.visibleUpTo(c.lastSeq()))
            .setReadSeq(me.readSeq())
            .setUnreadCount(s.unread())
            .setMemberCount(c.memberCount())
            .setLastActivityMs(ms(me.active() ? c.lastActivityAt() : me.leftAt()))
            .setLeft(!me.active())
            .setFirstVisibleSeq(me.firstVisibleSeq())
            .setLastVisibleSeq(me.active() ? 0 : me.lastVisibleSeq())
            .setDisbanded(c.disbanded());
    if (c.group()) {
      b.setTitle(c.title()).setRole(role(me.role()));
    } else {
      b.setPeerUserId(s.peerUserId()).setPeerReadSeq(s.peerReadSeq());
    }
    if (s.last() != null) b.setLastMessage(message(s.last()));
    return b.build();
  }

  public static Member member(MemberRow m) {
    return Member.newBuilder()
        .setUserId(m.userId())
        .setRole(role(m.role()))
        .setJoinedAtMs(ms(m.joinedAt()))
        .setReadSeq(m.readSeq())
        .build();
  }

  /** A non-entry feed item as a client update. */
  public static Update update(FeedItem item, long pts) {
    return update(new FeedRow(pts, item.kind(), item.conversationId(), item.seq(), item.otherUserId(), item.payload()), null);
  }

  /** A stored feed row as a client update; {@code entry} is the pointed-at entry for ENTRY rows. */
  public static Update update(FeedRow row, Entry entry) {
    Update.Builder b = Update.newBuilder().setPts(row.pts());
    try {
      switch (row.kind()) {
        case ENTRY -> b.setMessage(message(entry));
        case READ_MARKER ->
            b.setReadMarker(
                row.payload() != null
                    ? ReadMarker.parseFrom(row.payload())
                    : ReadMarker.newBuilder().setConversationId(row.conversationId()).setReadSeq(row.seq()).build());
        case READ_RECEIPT ->
            b.setReadReceipt(
                ReadReceipt.newBuilder().setConversationId(row.conversationId()).setUserId(row.otherUserId()).setReadSeq(row.seq()));
        case FRIEND_REQUEST -> b.setFriendRequest(FriendRequestUpdate.parseFrom(row.payload()));
        case FRIEND -> b.setFriend(FriendUpdate.parseFrom(row.payload()));
        case BLOCK -> b.setBlock(BlockUpdate.parseFrom(row.payload()));
      }
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("feed row " + row.pts() + " holds an undecodable payload", e);
    }
    return b.build();
  }

  public static boolean isEntry(FeedRow row) {
    return row.kind() == FeedKind.ENTRY;
  }

  public static long ms(Instant i) {
    return i == null ? 0 : i.toEpochMilli();
  }
}
