package dev.parley.msg.grpc;

import com.google.protobuf.ByteString;
import dev.parley.msg.core.ConversationList.Summary;
import dev.parley.msg.core.content.Content;
import dev.parley.msg.core.content.Extras;
import dev.parley.msg.core.content.ReactionCount;
import dev.parley.msg.feed.FeedItem;
import dev.parley.msg.feed.FeedKind;
import dev.parley.msg.feed.FeedPayload;
import dev.parley.msg.feed.FeedRow;
import dev.parley.msg.presence.Seen;
import dev.parley.msg.settings.ChatState;
import dev.parley.msg.settings.Draft;
import dev.parley.msg.settings.NotifySettings;
import dev.parley.msg.store.ConversationRow;
import dev.parley.msg.store.Entry;
import dev.parley.msg.store.EntryKind;
import dev.parley.msg.store.MemberRow;
import dev.parley.msg.store.Reactions;
import dev.parley.proto.client.BlockUpdate;
import dev.parley.proto.client.ChatStateUpdate;
import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.ConversationType;
import dev.parley.proto.client.EditContent;
import dev.parley.proto.client.FileContent;
import dev.parley.proto.client.ForwardedFrom;
import dev.parley.proto.client.FriendRequest;
import dev.parley.proto.client.FriendRequestUpdate;
import dev.parley.proto.client.FriendUpdate;
import dev.parley.proto.client.ImageContent;
import dev.parley.proto.client.LastSeenRange;
import dev.parley.proto.client.Member;
import dev.parley.proto.client.Mention;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.PinContent;
import dev.parley.proto.client.ReactionContent;
import dev.parley.proto.client.ReadMarker;
import dev.parley.proto.client.ReadReceipt;
import dev.parley.proto.client.RecallContent;
import dev.parley.proto.client.ReplyTo;
import dev.parley.proto.client.Role;
import dev.parley.proto.client.ServiceContent;
import dev.parley.proto.client.TextContent;
import dev.parley.proto.client.Thumbnail;
import dev.parley.proto.client.Update;
import dev.parley.proto.client.UserPresence;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Domain values to client protocol messages: the only place the message service builds them. */
public final class Protos {
  /** What the viewer may know of one user's presence. */
  static UserPresence presence(long userId, Seen seen) {
    UserPresence.Builder p = UserPresence.newBuilder().setUserId(userId);
    switch (seen) {
      case Seen.Online o -> p.setOnline(true);
      case Seen.LastSeen l -> p.setLastSeenMs(l.at().toEpochMilli());
      case Seen.Coarse c ->
          p.setCoarse(
              switch (c.range()) {
                case RECENTLY -> LastSeenRange.LAST_SEEN_RECENTLY;
                case WITHIN_WEEK -> LastSeenRange.LAST_SEEN_WITHIN_WEEK;
                case WITHIN_MONTH -> LastSeenRange.LAST_SEEN_WITHIN_MONTH;
                case LONG_AGO -> LastSeenRange.LAST_SEEN_LONG_AGO;
              });
    }
    return p.build();
  }

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
    if (e.content() != null) setContent(b, e.content());
    else if (e.kind() == EntryKind.EDIT)
      b.setEdit(EditContent.newBuilder().setTargetSeq(e.refSeq()));
    if (e.recalled()) b.setRecalled(true).setRecalledAtMs(ms(e.recalledAt()));
    if (e.editedAt() != null) b.setEditedAtMs(ms(e.editedAt()));
    Extras.Quote q = e.extras().quote();
    if (q != null)
      b.setReplyTo(
          ReplyTo.newBuilder()
              .setSeq(q.seq())
              .setSenderId(q.senderId())
              .setSnippet(q.snippet())
              .setDeleted(q.deleted()));
    Extras.Forward f = e.extras().forward();
    if (f != null)
      b.setForwardedFrom(
          ForwardedFrom.newBuilder()
              .setSenderId(f.senderId())
              .setGroupId(f.groupId())
              .setSentAtMs(ms(f.sentAt())));
    if (e.content() instanceof Content.Edit) {
      EditContent.Builder content = b.getEditBuilder();
      e.extras().mentions().forEach(m -> content.addMentions(mention(m)));
    } else {
      e.extras().mentions().forEach(m -> b.addMentions(mention(m)));
    }
    return b.build();
  }

  private static Mention mention(Extras.Mention m) {
    return Mention.newBuilder()
        .setUserId(m.userId())
        .setOffset(m.offset())
        .setLength(m.length())
        .build();
  }

  private static void setContent(Message.Builder b, Content content) {
    switch (content) {
      case Content.Text t -> b.setText(TextContent.newBuilder().setText(t.text()));
      case Content.Image i -> {
        ImageContent.Builder image =
            ImageContent.newBuilder()
                .setFileId(i.fileId())
                .setWidth(i.width())
                .setHeight(i.height())
                .setSize(i.size())
                .setMimeType(i.mimeType())
                .setCaption(i.caption())
                .setPreview(ByteString.copyFrom(i.preview()))
                .setMediaNote(i.mediaNote())
                .setAnimated(i.animated());
        for (Content.Thumbnail t : i.thumbnails())
          image.addThumbnails(
              Thumbnail.newBuilder()
                  .setVariant(t.variant())
                  .setWidth(t.width())
                  .setHeight(t.height())
                  .setSize(t.size()));
        b.setImage(image);
      }
      case Content.File f ->
          b.setFile(
              FileContent.newBuilder()
                  .setFileId(f.fileId())
                  .setName(f.name())
                  .setSize(f.size())
                  .setMimeType(f.mimeType())
                  .setCaption(f.caption()));
      case Content.Service s ->
          b.setService(
              ServiceContent.newBuilder()
                  .setActionValue(s.action().code)
                  .setActorId(s.actorId())
                  .addAllUserIds(s.userIds())
                  .setTitle(s.title())
                  .setRole(s.role() == 0 ? Role.ROLE_UNSPECIFIED : role(s.role())));
      case Content.Recall r -> b.setRecall(RecallContent.newBuilder().setTargetSeq(r.targetSeq()));
      case Content.Edit e ->
          b.setEdit(EditContent.newBuilder().setTargetSeq(e.targetSeq()).setText(e.text()));
      case Content.Reaction r -> {
        ReactionContent.Builder reaction =
            ReactionContent.newBuilder().setTargetSeq(r.targetSeq()).addAllEmoji(r.emoji());
        for (ReactionCount c : r.counts())
          reaction.addReactions(
              dev.parley.proto.client.ReactionCount.newBuilder()
                  .setEmoji(c.emoji())
                  .setCount(c.count()));
        b.setReaction(reaction);
      }
      case Content.Pin p ->
          b.setPin(PinContent.newBuilder().setTargetSeq(p.targetSeq()).setPinned(p.pinned()));
    }
  }

  /** Counts as the viewer sees them, in the order given (design.md 13.4). */
  public static List<dev.parley.proto.client.ReactionCount> reactionCounts(
      List<Reactions.Counted> counts) {
    return counts.stream()
        .map(
            c ->
                dev.parley.proto.client.ReactionCount.newBuilder()
                    .setEmoji(c.emoji())
                    .setCount(c.count())
                    .setReactedByMe(c.mine())
                    .build())
        .toList();
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
            .setType(
                c.direct()
                    ? ConversationType.CONVERSATION_TYPE_DIRECT
                    : ConversationType.CONVERSATION_TYPE_GROUP)
            .setLastSeq(me.visibleUpTo(c.lastSeq()))
            .setReadSeq(me.readSeq())
            .setUnreadCount(s.unread())
            .setUnreadMentions(s.unreadMentions())
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
    if (!s.chatState().isDefault()) b.setChatState(chatState(s.chatState()));
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
    return update(FeedRow.of(item, pts), null);
  }

  /** A stored feed row as a client update; {@code entry} is the pointed-at entry for ENTRY rows. */
  public static Update update(FeedRow row, @Nullable Entry entry) {
    Update.Builder b = Update.newBuilder().setPts(row.pts());
    switch (row.kind()) {
      case ENTRY ->
          b.setMessage(message(Objects.requireNonNull(entry, "ENTRY rows come with their entry")));
      case READ_MARKER -> {
        FeedPayload.ReadMarker m = (FeedPayload.ReadMarker) Objects.requireNonNull(row.payload());
        b.setReadMarker(
            ReadMarker.newBuilder()
                .setConversationId(m.conversationId())
                .setReadSeq(m.readSeq())
                .setUnreadCount(m.unreadCount())
                .setLastSeq(m.lastSeq())
                .setUnreadMentions(m.unreadMentions()));
      }
      case READ_RECEIPT ->
          b.setReadReceipt(
              ReadReceipt.newBuilder()
                  .setConversationId(row.conversationId())
                  .setUserId(row.otherUserId())
                  .setReadSeq(row.seq()));
      case FRIEND_REQUEST -> {
        FeedPayload.FriendRequest r =
            (FeedPayload.FriendRequest) Objects.requireNonNull(row.payload());
        b.setFriendRequest(
            FriendRequestUpdate.newBuilder()
                .setRequest(
                    FriendRequest.newBuilder()
                        .setFromUserId(r.fromUserId())
                        .setToUserId(r.toUserId())
                        .setNote(r.note())
                        .setCreatedAtMs(ms(r.createdAt())))
                .setStateValue(r.state().code));
      }
      case FRIEND -> {
        FeedPayload.Friend f = (FeedPayload.Friend) Objects.requireNonNull(row.payload());
        b.setFriend(
            FriendUpdate.newBuilder()
                .setUserId(f.userId())
                .setFriends(f.friends())
                .setSinceMs(ms(f.since())));
      }
      case BLOCK -> {
        FeedPayload.Block x = (FeedPayload.Block) Objects.requireNonNull(row.payload());
        b.setBlock(BlockUpdate.newBuilder().setUserId(x.userId()).setBlocked(x.blocked()));
      }
      case CHAT_STATE -> {
        FeedPayload.ChatStateChanged c =
            (FeedPayload.ChatStateChanged) Objects.requireNonNull(row.payload());
        b.setChatState(
            ChatStateUpdate.newBuilder()
                .setConversationId(c.conversationId())
                .setState(chatState(c.state())));
      }
      case NOTIFY_SETTINGS ->
          b.setNotifySettings(
              notifySettings(
                  ((FeedPayload.NotifySettingsChanged) Objects.requireNonNull(row.payload()))
                      .settings()));
    }
    return b.build();
  }

  public static dev.parley.proto.client.ChatState chatState(ChatState s) {
    var b =
        dev.parley.proto.client.ChatState.newBuilder()
            .setMutedUntilMs(ms(s.mutedUntil()))
            .setMutedForever(s.mutedForever())
            .setPreviewsValue(s.previews().code)
            .setPinRank(s.pinRank())
            .setArchived(s.archived())
            .setMarkedUnread(s.markedUnread());
    Draft d = s.draft();
    if (d != null) {
      b.setDraft(
          dev.parley.proto.client.Draft.newBuilder()
              .setText(d.text())
              .setReplyToSeq(d.replyToSeq())
              .setUpdatedAtMs(ms(d.updatedAt())));
    }
    return b.build();
  }

  public static dev.parley.proto.client.NotifySettings notifySettings(NotifySettings s) {
    return dev.parley.proto.client.NotifySettings.newBuilder()
        .setShowPreviews(s.showPreviews())
        .setNotifyMentionsInMuted(s.notifyMentionsInMuted())
        .build();
  }

  public static boolean isEntry(FeedRow row) {
    return row.kind() == FeedKind.ENTRY;
  }

  public static long ms(@Nullable Instant i) {
    return i == null ? 0 : i.toEpochMilli();
  }
}
