package dev.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.proto.client.BlockUpdate;
import dev.parley.proto.client.Event;
import dev.parley.proto.client.FileContent;
import dev.parley.proto.client.ForwardedFrom;
import dev.parley.proto.client.FriendRequest;
import dev.parley.proto.client.FriendRequestUpdate;
import dev.parley.proto.client.FriendUpdate;
import dev.parley.proto.client.ImageContent;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.ReadMarker;
import dev.parley.proto.client.ReadReceipt;
import dev.parley.proto.client.RecallContent;
import dev.parley.proto.client.Role;
import dev.parley.proto.client.ServiceContent;
import dev.parley.proto.client.ServiceContent.Action;
import dev.parley.proto.client.TextContent;
import dev.parley.proto.client.Update;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntryFormatTest {
  static final long AT = 1764189600000L; // 2025-11-26 20:40:00 UTC
  static final long CHAT = 7319001122334455L;

  final HumanFormat format = new HumanFormat(ZoneOffset.UTC);
  final EntryFormat entries = format.entries();

  static Message.Builder entry(long seq) {
    return Message.newBuilder()
        .setConversationId(CHAT)
        .setSeq(seq)
        .setMessageId(1000 + seq)
        .setSenderId(7)
        .setSentAtMs(AT);
  }

  static Message text(long seq, String text) {
    return entry(seq).setText(TextContent.newBuilder().setText(text)).build();
  }

  static Message service(ServiceContent.Builder service) {
    return entry(9).setService(service).build();
  }

  @Test
  void everyKindOfContentHasItsLine() {
    assertThat(entries.entry(text(1, "Hi Bob!"))).isEqualTo("#1 2025-11-26 20:40:00 7: Hi Bob!");
    assertThat(
            entries.entry(
                entry(2)
                    .setImage(
                        ImageContent.newBuilder()
                            .setFileId("f1")
                            .setWidth(1024)
                            .setHeight(768)
                            .setMimeType("image/png"))
                    .build()))
        .isEqualTo("#2 2025-11-26 20:40:00 7: [image 1024x768]");
    assertThat(
            entries.content(
                entry(2)
                    .setImage(
                        ImageContent.newBuilder().setWidth(10).setHeight(20).setCaption("the view"))
                    .build()))
        .isEqualTo("[image 10x20] the view");
    assertThat(
            entries.content(
                entry(3)
                    .setFile(
                        FileContent.newBuilder()
                            .setFileId("f2")
                            .setName("report.pdf")
                            .setSize(12_345)
                            .setMimeType("application/pdf"))
                    .build()))
        .isEqualTo("[file report.pdf]");
    assertThat(
            entries.content(
                entry(3)
                    .setFile(FileContent.newBuilder().setName("report.pdf").setCaption("Q3"))
                    .build()))
        .isEqualTo("[file report.pdf] Q3");
    assertThat(
            entries.content(entry(4).setRecall(RecallContent.newBuilder().setTargetSeq(2)).build()))
        .isEqualTo("[recall of #2]");
    assertThat(entries.entry(entry(2).setRecalled(true).setRecalledAtMs(AT).build()))
        .isEqualTo("#2 2025-11-26 20:40:00 7: [recalled]");
    assertThat(entries.content(entry(5).build()))
        .isEqualTo("[unknown content (newer than this client)]");
  }

  @Test
  void forwardedCopiesNameTheirOrigin_orAHiddenSender() {
    Message.Builder copy = entry(9).setText(TextContent.newBuilder().setText("pass it on"));
    assertThat(
            entries.content(
                copy.setForwardedFrom(
                        ForwardedFrom.newBuilder().setSenderId(41).setGroupId(CHAT).setSentAtMs(AT))
                    .build()))
        .isEqualTo("[forwarded from user 41 in group " + CHAT + "] pass it on");
    assertThat(
            entries.content(
                copy.setForwardedFrom(ForwardedFrom.newBuilder().setSentAtMs(AT)).build()))
        .isEqualTo("[forwarded from a hidden sender] pass it on");
  }

  @Test
  void serviceEntriesNameActionActorAndUsers() {
    assertThat(
            entries.content(
                service(
                    ServiceContent.newBuilder()
                        .setAction(Action.GROUP_CREATED)
                        .setActorId(7)
                        .addUserIds(8)
                        .addUserIds(9)
                        .setTitle("Trip"))))
        .isEqualTo("[service: GROUP_CREATED 7 → 8, 9 \"Trip\"]");
    assertThat(
            entries.content(
                service(
                    ServiceContent.newBuilder()
                        .setAction(Action.MEMBERS_ADDED)
                        .setActorId(7)
                        .addUserIds(10))))
        .isEqualTo("[service: MEMBERS_ADDED 7 → 10]");
    assertThat(
            entries.content(
                service(
                    ServiceContent.newBuilder()
                        .setAction(Action.MEMBER_REMOVED)
                        .setActorId(7)
                        .addUserIds(8))))
        .isEqualTo("[service: MEMBER_REMOVED 7 → 8]");
    assertThat(
            entries.content(
                service(ServiceContent.newBuilder().setAction(Action.MEMBER_LEFT).setActorId(9))))
        .isEqualTo("[service: MEMBER_LEFT 9]");
    assertThat(
            entries.content(
                service(
                    ServiceContent.newBuilder()
                        .setAction(Action.TITLE_CHANGED)
                        .setActorId(7)
                        .setTitle("Trip 2026"))))
        .isEqualTo("[service: TITLE_CHANGED 7 \"Trip 2026\"]");
    assertThat(
            entries.content(
                service(
                    ServiceContent.newBuilder()
                        .setAction(Action.ROLE_CHANGED)
                        .setActorId(7)
                        .addUserIds(8)
                        .setRole(Role.ROLE_ADMIN))))
        .isEqualTo("[service: ROLE_CHANGED 7 → 8 admin]");
    assertThat(
            entries.content(
                service(
                    ServiceContent.newBuilder()
                        .setAction(Action.OWNER_CHANGED)
                        .setActorId(7)
                        .addUserIds(8))))
        .isEqualTo("[service: OWNER_CHANGED 7 → 8]");
    assertThat(
            entries.content(
                service(
                    ServiceContent.newBuilder().setAction(Action.GROUP_DISBANDED).setActorId(8))))
        .isEqualTo("[service: GROUP_DISBANDED 8]");
    assertThat(
            entries.entry(
                service(ServiceContent.newBuilder().setAction(Action.MEMBER_LEFT).setActorId(7))))
        .isEqualTo("#9 2025-11-26 20:40:00 7: [service: MEMBER_LEFT 7]");
  }

  @Test
  void multiLineTextsAreIndentedAndControlCharactersEscaped() {
    assertThat(entries.entry(text(1, "first\nsecond\r\nthird")))
        .isEqualTo("#1 2025-11-26 20:40:00 7: first\n    second\n    third");
    assertThat(entries.content(text(1, "\u001b[2Jgone\tx\u202eevil")))
        .isEqualTo("\\u001b[2Jgone\\tx\\u202eevil");
    assertThat(
            entries.content(entry(3).setFile(FileContent.newBuilder().setName("a\u0007b")).build()))
        .isEqualTo("[file a\\u0007b]");
    assertThat(HumanFormat.clean("plain, ünïcödé ✓ 👍🏽")).isEqualTo("plain, ünïcödé ✓ 👍🏽");
  }

  @Test
  void previewsAreOneShortLine() {
    assertThat(entries.preview(text(1, "short\ntext"))).isEqualTo("short text");
    String long60 = "0123456789".repeat(6);
    assertThat(entries.preview(text(1, long60)))
        .isEqualTo(long60.substring(0, 39) + "…")
        .hasSize(40);
    assertThat(entries.preview(text(1, "👍".repeat(50)))).isEqualTo("👍".repeat(39) + "…");
  }

  static Update.Builder update(long pts) {
    return Update.newBuilder().setPts(pts);
  }

  String event(Update.Builder update) {
    return format.event(Event.newBuilder().setUpdate(update).build());
  }

  @Test
  void notificationSettingUpdatesAreReadable() {
    assertThat(
            event(
                update(20)
                    .setChatState(
                        dev.parley.proto.client.ChatStateUpdate.newBuilder()
                            .setConversationId(CHAT)
                            .setState(
                                dev.parley.proto.client.ChatState.newBuilder()
                                    .setMutedUntilMs(1_765_051_200_000L)
                                    .setPreviews(
                                        dev.parley.proto.client.PreviewMode.PREVIEW_MODE_HIDE)))))
        .isEqualTo(
            "update 20 chat_state: chat 7319001122334455: muted until 2025-12-06T20:00:00Z,"
                + " previews hidden");
    assertThat(
            event(
                update(21)
                    .setChatState(
                        dev.parley.proto.client.ChatStateUpdate.newBuilder()
                            .setConversationId(CHAT)
                            .setState(
                                dev.parley.proto.client.ChatState.newBuilder()
                                    .setMutedForever(true)))))
        .isEqualTo(
            "update 21 chat_state: chat 7319001122334455: muted forever, previews as the global"
                + " setting");
    assertThat(
            event(
                update(22)
                    .setNotifySettings(
                        dev.parley.proto.client.NotifySettings.newBuilder()
                            .setShowPreviews(false)
                            .setNotifyMentionsInMuted(true))))
        .isEqualTo("update 22 notify_settings: previews off, mentions in muted chats on");
  }

  @Test
  void chatListStateUpdatesShowWhatIsSet() {
    assertThat(
            event(
                update(23)
                    .setChatState(
                        dev.parley.proto.client.ChatStateUpdate.newBuilder()
                            .setConversationId(CHAT)
                            .setState(
                                dev.parley.proto.client.ChatState.newBuilder()
                                    .setPinRank(3)
                                    .setArchived(true)
                                    .setMarkedUnread(true)
                                    .setDraft(
                                        dev.parley.proto.client.Draft.newBuilder()
                                            .setText("see you")
                                            .setReplyToSeq(41))))))
        .isEqualTo(
            "update 23 chat_state: chat 7319001122334455: not muted, previews as the global"
                + " setting, pinned (rank 3), archived, marked unread, draft \"see you\" replying"
                + " to 41");
  }

  @Test
  void updateEventsAreOneLineWithTheirPts() {
    assertThat(event(update(12).setMessage(text(1, "Hi Bob!"))))
        .isEqualTo("update 12 message: 7319001122334455 #1 7: Hi Bob!");
    assertThat(
            event(
                update(13)
                    .setMessage(entry(4).setRecall(RecallContent.newBuilder().setTargetSeq(1)))))
        .isEqualTo("update 13 message: 7319001122334455 #4 7: [recall of #1]");
    assertThat(
            event(
                update(14)
                    .setReadMarker(
                        ReadMarker.newBuilder()
                            .setConversationId(CHAT)
                            .setReadSeq(4)
                            .setUnreadCount(1))))
        .isEqualTo("update 14 read_marker: 7319001122334455 read up to #4, 1 unread");
    assertThat(
            event(
                update(15)
                    .setReadReceipt(
                        ReadReceipt.newBuilder()
                            .setConversationId(CHAT)
                            .setUserId(8)
                            .setReadSeq(4))))
        .isEqualTo("update 15 read_receipt: 7319001122334455 user 8 read up to #4");
    assertThat(
            event(
                update(16)
                    .setFriendRequest(
                        FriendRequestUpdate.newBuilder()
                            .setState(FriendRequestUpdate.State.RECEIVED)
                            .setRequest(
                                FriendRequest.newBuilder()
                                    .setFromUserId(8)
                                    .setToUserId(7)
                                    .setNote("it's Bob")))))
        .isEqualTo("update 16 friend_request: RECEIVED from 8 to 7 \"it's Bob\"");
    assertThat(
            event(
                update(17)
                    .setFriendRequest(
                        FriendRequestUpdate.newBuilder()
                            .setState(FriendRequestUpdate.State.CANCELED)
                            .setRequest(
                                FriendRequest.newBuilder().setFromUserId(8).setToUserId(7)))))
        .isEqualTo("update 17 friend_request: CANCELED from 8 to 7");
    assertThat(
            event(
                update(18)
                    .setFriend(
                        FriendUpdate.newBuilder().setUserId(8).setFriends(true).setSinceMs(AT))))
        .isEqualTo("update 18 friend: user 8 is a friend since 2025-11-26 20:40:00");
    assertThat(event(update(19).setFriend(FriendUpdate.newBuilder().setUserId(8))))
        .isEqualTo("update 19 friend: user 8 is no longer a friend");
    assertThat(event(update(20).setBlock(BlockUpdate.newBuilder().setUserId(8).setBlocked(true))))
        .isEqualTo("update 20 block: user 8 blocked");
    assertThat(event(update(21).setBlock(BlockUpdate.newBuilder().setUserId(8))))
        .isEqualTo("update 21 block: user 8 unblocked");
    assertThat(event(update(22))).isEqualTo("update 22: unknown kind (newer than this client)");
  }

  @Test
  void historyIsOneLinePerEntry() {
    assertThat(format.chats().history(List.of(text(1, "a"), entry(2).setRecalled(true).build())))
        .isEqualTo(
            """
            #1 2025-11-26 20:40:00 7: a
            #2 2025-11-26 20:40:00 7: [recalled]
            """);
    assertThat(format.chats().history(List.of())).isEqualTo("no entries\n");
  }
}
