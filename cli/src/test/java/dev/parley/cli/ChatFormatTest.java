package dev.parley.cli;

import static dev.parley.cli.EntryFormatTest.AT;
import static dev.parley.cli.EntryFormatTest.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.SyncStats;
import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.ConversationType;
import dev.parley.proto.client.Friend;
import dev.parley.proto.client.FriendRequest;
import dev.parley.proto.client.GetConversationResponse;
import dev.parley.proto.client.GetReadCountsResponse;
import dev.parley.proto.client.GetReadCountsResponse.ReadCount;
import dev.parley.proto.client.ListFriendRequestsResponse;
import dev.parley.proto.client.MarkReadResponse;
import dev.parley.proto.client.Member;
import dev.parley.proto.client.Role;
import dev.parley.proto.client.SendMessageResponse;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatFormatTest {
  final HumanFormat format = new HumanFormat(ZoneOffset.UTC);

  static final Conversation DIRECT =
      Conversation.newBuilder()
          .setConversationId(55)
          .setType(ConversationType.CONVERSATION_TYPE_DIRECT)
          .setPeerUserId(8)
          .setLastSeq(3)
          .setLastMessage(text(3, "see you\ntomorrow"))
          .setUnreadCount(2)
          .setLastActivityMs(AT)
          .build();
  static final Conversation GROUP =
      Conversation.newBuilder()
          .setConversationId(66)
          .setType(ConversationType.CONVERSATION_TYPE_GROUP)
          .setTitle("Trip")
          .setMemberCount(3)
          .setRole(Role.ROLE_OWNER)
          .setLastSeq(12)
          .setReadSeq(10)
          .setLastActivityMs(AT - 60_000)
          .setFirstVisibleSeq(1)
          .build();
  static final Conversation LEFT =
      Conversation.newBuilder()
          .setConversationId(77)
          .setType(ConversationType.CONVERSATION_TYPE_GROUP)
          .setTitle("Old")
          .setLeft(true)
          .build();

  @Test
  void conversationsAreATableWithTheBadgeAtTheEnd() {
    assertThat(format.chats().conversations(List.of(DIRECT, GROUP, LEFT), 2))
        .isEqualTo(
            """
        ID  TYPE         WITH    UNREAD  LAST                    TIME
        55  direct       user 8  2       #3 7: see you tomorrow  2025-11-26 20:40:00
        66  group        Trip    0       -                       2025-11-26 20:39:00
        77  group, left  Old     0       -                       -
        total unread: 2
        """);
    assertThat(format.chats().conversations(List.of(), 0))
        .isEqualTo("no conversations\ntotal unread: 0\n");
    assertThat(ChatFormat.type(LEFT.toBuilder().setDisbanded(true).build()))
        .isEqualTo("group, disbanded");
  }

  @Test
  void syncAddsTheNewEntriesPerConversation() {
    assertThat(format.chats().synced(List.of(DIRECT, GROUP), 2, Map.of(55L, 3)))
        .isEqualTo(
            """
        ID  TYPE    WITH    NEW  UNREAD  LAST                    TIME
        55  direct  user 8  3    2       #3 7: see you tomorrow  2025-11-26 20:40:00
        66  group   Trip    0    0       -                       2025-11-26 20:39:00
        total unread: 2
        """);
    assertThat(SyncCommand.summary(new SyncStats(1, 1, 1, 0, 1, 0, 0, 0, true), null, 5))
        .isEqualTo(
            "rebuilt from the conversation list at pts 5: 0 updates, 4 requests "
                + "(get_state 1, get_conversations 1, get_difference 1, sync_groups 1, get_history 0)\n");
    assertThat(SyncCommand.summary(new SyncStats(0, 0, 2, 1, 2, 700, 0, 0, false), 3L, 703))
        .isEqualTo(
            "caught up from pts 3 to pts 703: 700 updates, 5 requests "
                + "(get_state 0, get_conversations 0, get_difference 2, sync_groups 2, get_history 1)\n");
  }

  @Test
  void aGroupWithItsMembers() {
    GetConversationResponse shown =
        GetConversationResponse.newBuilder()
            .setConversation(GROUP)
            .addMembers(
                Member.newBuilder()
                    .setUserId(7)
                    .setRole(Role.ROLE_OWNER)
                    .setJoinedAtMs(AT)
                    .setReadSeq(12))
            .addMembers(
                Member.newBuilder()
                    .setUserId(8)
                    .setRole(Role.ROLE_ADMIN)
                    .setJoinedAtMs(AT)
                    .setReadSeq(10))
            .addMembers(
                Member.newBuilder().setUserId(9).setRole(Role.ROLE_MEMBER).setJoinedAtMs(AT))
            .build();

    assertThat(format.chats().conversation(shown, Map.of(7L, "Alice", 8L, "Bob")))
        .isEqualTo(
            """
        conversation   66
        type           group
        title          Trip
        your role      owner
        members        3
        last seq       #12
        read           #10, 0 unread
        visible        #1 on
        last activity  2025-11-26 20:39:00

        USER  NAME   ROLE    JOINED               READ
        7     Alice  owner   2025-11-26 20:40:00  #12
        8     Bob    admin   2025-11-26 20:40:00  #10
        9     -      member  2025-11-26 20:40:00  #0
        """);
  }

  @Test
  void readState() {
    assertThat(
            ChatFormat.readCounts(
                GetReadCountsResponse.newBuilder()
                    .addCounts(ReadCount.newBuilder().setSeq(4).setReadCount(2))
                    .addCounts(ReadCount.newBuilder().setSeq(5))
                    .build()))
        .isEqualTo("#4 read by 2\n#5 read by 0\n");
    assertThat(ChatFormat.readCounts(GetReadCountsResponse.getDefaultInstance()))
        .isEqualTo("no such entries\n");
    assertThat(
            ChatFormat.markedRead(
                55, MarkReadResponse.newBuilder().setReadSeq(12).setUnreadCount(1).build()))
        .isEqualTo("conversation 55 read up to #12, 1 unread");
  }

  @Test
  void aSendTellsWhereAndWhetherItWasADuplicate() {
    SendMessageResponse sent =
        SendMessageResponse.newBuilder()
            .setConversationId(55)
            .setSeq(4)
            .setMessageId(1004)
            .setSentAtMs(AT)
            .build();
    assertThat(ChatFormat.sent(sent, "b3f1"))
        .isEqualTo("sent: conversation 55 #4 (message 1004, client_msg_id b3f1)");
    assertThat(ChatFormat.sent(sent.toBuilder().setDuplicate(true).build(), "b3f1"))
        .isEqualTo(
            "already sent: conversation 55 #4 (message 1004, client_msg_id b3f1); duplicate, nothing new was stored");
  }

  @Test
  void friendsRequestsAndBlockedShowNames() {
    Map<Long, String> names = Map.of(8L, "Bob", 9L, "Carol\u001b[31m");
    assertThat(
            format
                .relations()
                .friends(List.of(Friend.newBuilder().setUserId(8).setSinceMs(AT).build()), names))
        .isEqualTo(
            """
            USER  NAME  SINCE
            8     Bob   2025-11-26 20:40:00
            """);
    assertThat(format.relations().friends(List.of(), names)).isEqualTo("no friends\n");

    ListFriendRequestsResponse requests =
        ListFriendRequestsResponse.newBuilder()
            .addIncoming(
                FriendRequest.newBuilder()
                    .setFromUserId(8)
                    .setToUserId(7)
                    .setNote("it's Bob")
                    .setCreatedAtMs(AT))
            .addOutgoing(
                FriendRequest.newBuilder().setFromUserId(7).setToUserId(9).setCreatedAtMs(AT))
            .build();
    assertThat(format.relations().requests(requests, names))
        .isEqualTo(
            """
              USER  NAME             NOTE      SENT
        from  8     Bob              it's Bob  2025-11-26 20:40:00
        to    9     Carol\\u001b[31m  -         2025-11-26 20:40:00
        """);
    assertThat(format.relations().requests(ListFriendRequestsResponse.getDefaultInstance(), names))
        .isEqualTo("no pending friend requests\n");

    assertThat(RelationFormat.blocked(List.of(8L, 10L), names))
        .isEqualTo(
            """
        USER  NAME
        8     Bob
        10    -
        """);
    assertThat(RelationFormat.blocked(List.of(), names)).isEqualTo("nobody is blocked\n");
  }
}
