package dev.parley.cli;

import static dev.parley.cli.EntryFormatTest.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.cli.CliRunner.Run;
import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.ConversationType;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.Event;
import dev.parley.proto.client.FriendRequest;
import dev.parley.proto.client.GetConversationResponse;
import dev.parley.proto.client.GetConversationsResponse;
import dev.parley.proto.client.GetDifferenceResponse;
import dev.parley.proto.client.GetHistoryResponse;
import dev.parley.proto.client.GetProfilesResponse;
import dev.parley.proto.client.GetStateResponse;
import dev.parley.proto.client.ListFriendRequestsResponse;
import dev.parley.proto.client.MarkReadResponse;
import dev.parley.proto.client.Member;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.Profile;
import dev.parley.proto.client.ReadReceipt;
import dev.parley.proto.client.RecallContent;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.Request.OpCase;
import dev.parley.proto.client.Response;
import dev.parley.proto.client.Role;
import dev.parley.proto.client.SendFriendRequestResponse;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.SendMessageResponse;
import dev.parley.proto.client.SetMemberRoleResponse;
import dev.parley.proto.client.Update;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The messaging commands in-process against a canned gateway: what they ask the server and what
 * they print. The formatting itself is covered in {@link EntryFormatTest} and {@link
 * ChatFormatTest}; the real server's answers in the end-to-end tests of the server module.
 */
class MessagingCommandsTest {
  /** An entry line's time, in whatever zone the tests run. */
  static final String TIME = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d";

  @TempDir Path home;

  final FakeGateway gateway = new FakeGateway();

  @BeforeEach
  void logIn() {
    ProfileStore.open(home, "default").saveLogin(gateway.url(), FakeGateway.credentials());
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  Run cli(String... args) {
    return new CliRunner(home).run(args);
  }

  static Conversation direct(long id, long peer) {
    return Conversation.newBuilder()
        .setConversationId(id)
        .setType(ConversationType.CONVERSATION_TYPE_DIRECT)
        .setPeerUserId(peer)
        .build();
  }

  @Test
  void chatsListsTheConversationsAndTheBadge() {
    gateway.answer(
        OpCase.GET_CONVERSATIONS,
        request ->
            Response.newBuilder()
                .setGetConversations(
                    GetConversationsResponse.newBuilder()
                        .addConversations(
                            direct(55, 8).toBuilder()
                                .setLastSeq(3)
                                .setLastMessage(text(3, "see you"))
                                .setUnreadCount(2)
                                .setLastActivityMs(EntryFormatTest.AT))
                        .setTotalUnread(2)));

    Run run = cli("chats");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .matches(
            "(?s)ID +TYPE +WITH +UNREAD +LAST +TIME\n"
                + "55 +direct +user 8 +2 +#3 7: see you +"
                + TIME
                + "\ntotal unread: 2\n");
    assertThat(gateway.requests(OpCase.GET_CONVERSATIONS))
        .singleElement()
        .satisfies(r -> assertThat(r.getGetConversations().getLimit()).isEqualTo(50));
  }

  @Test
  void chatsPagesUntilTheLimit() {
    AtomicInteger pages = new AtomicInteger();
    gateway.answer(
        OpCase.GET_CONVERSATIONS,
        request -> {
          int page = pages.incrementAndGet();
          GetConversationsResponse.Builder answer =
              GetConversationsResponse.newBuilder().setTotalUnread(page * 10);
          for (int i = 0; i < request.getGetConversations().getLimit(); i++) {
            answer.addConversations(direct(page * 1000 + i, 8));
          }
          return Response.newBuilder().setGetConversations(answer.setNextCursor("after-" + page));
        });

    Run run = cli("chats", "--limit", "150", "--json");

    List<Request> asked = gateway.requests(OpCase.GET_CONVERSATIONS);
    assertThat(asked).extracting(r -> r.getGetConversations().getLimit()).containsExactly(100, 50);
    assertThat(asked)
        .extracting(r -> r.getGetConversations().getCursor())
        .containsExactly("", "after-1");
    assertThat(run.out())
        .startsWith("{\"conversations\":[{\"conversationId\":\"1000\"")
        .endsWith("\"nextCursor\":\"after-2\",\"totalUnread\":10}\n")
        .hasLineCount(1);
  }

  @Test
  void sendSendsTheTextAndPrintsWhereItWent() {
    gateway.answer(
        OpCase.SEND_MESSAGE,
        request ->
            Response.newBuilder()
                .setSendMessage(
                    SendMessageResponse.newBuilder()
                        .setConversationId(55)
                        .setSeq(4)
                        .setMessageId(1004)));

    Run run = cli("send", "--to-user", "8", "Hi", "Bob!");

    assertThat(run.exitCode()).as(run.err()).isZero();
    SendMessageRequest sent = gateway.requests(OpCase.SEND_MESSAGE).getFirst().getSendMessage();
    assertThat(sent.getUserId()).isEqualTo(8);
    assertThat(sent.getText().getText()).isEqualTo("Hi Bob!");
    assertThat(run.out())
        .isEqualTo(
            "sent: conversation 55 #4 (message 1004, client_msg_id "
                + sent.getClientMsgId()
                + ")\n");
  }

  @Test
  void sendResendsWithTheSameIdAfterTheConnectionDropped() {
    AtomicInteger attempts = new AtomicInteger();
    gateway.handle(
        OpCase.SEND_MESSAGE,
        (socket, request) -> {
          if (attempts.incrementAndGet() == 1) {
            socket.drop(); // stored or not: the client cannot tell
            return null;
          }
          return Response.newBuilder()
              .setSendMessage(
                  SendMessageResponse.newBuilder()
                      .setConversationId(55)
                      .setSeq(4)
                      .setMessageId(1004)
                      .setDuplicate(true));
        });

    Run run = cli("send", "--chat", "55", "-v", "hello");

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<Request> sends = gateway.requests(OpCase.SEND_MESSAGE);
    assertThat(sends).hasSize(2);
    assertThat(sends.get(1).getSendMessage()).isEqualTo(sends.get(0).getSendMessage());
    assertThat(run.out()).startsWith("already sent: conversation 55 #4").contains("duplicate");
    assertThat(run.err()).contains("send_message attempt 1 failed (CONNECTION_FAILED");
  }

  @Test
  void aDefiniteErrorIsNotResent() {
    gateway.answer(
        OpCase.SEND_MESSAGE,
        request -> FakeGateway.error(403, Reason.BLOCKED, "one of you blocked the other"));

    Run run = cli("send", "--to-user", "8", "hello");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.err()).isEqualTo("error: BLOCKED: one of you blocked the other\n");
    assertThat(run.out()).isEmpty();
    assertThat(gateway.requests(OpCase.SEND_MESSAGE)).hasSize(1);
  }

  @Test
  void usageErrorsNeedNoConnection() {
    assertThat(cli("send", "--chat", "55").exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli("send", "hello").exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli("history", "55", "--before", "3", "--after", "1").exitCode())
        .isEqualTo(ExitCodes.USAGE);
    assertThat(cli("chats", "--limit", "0").exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli("group", "role", "66", "8", "owner").exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli("sync", "--since", "-1").exitCode()).isEqualTo(ExitCodes.USAGE);
    Run bare = cli("group");
    assertThat(bare.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(bare.err()).contains("Usage: cli group", "create", "disband");
    assertThat(gateway.requests(OpCase.AUTHENTICATE)).isEmpty();
  }

  @Test
  void historyPrintsOldestFirstAndHowToPageOn() {
    Message recall =
        EntryFormatTest.entry(3).setRecall(RecallContent.newBuilder().setTargetSeq(2)).build();
    Message recalled = EntryFormatTest.entry(2).setRecalled(true).build();
    gateway.answer(
        OpCase.GET_HISTORY,
        request ->
            Response.newBuilder()
                .setGetHistory(
                    GetHistoryResponse.newBuilder()
                        .addMessages(recall)
                        .addMessages(recalled)
                        .setMore(true)));

    Run run = cli("history", "55", "--limit", "2");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .matches(
            "#2 "
                + TIME
                + " 7: \\[recalled]\n#3 "
                + TIME
                + " 7: \\[recall of #2]\n"
                + "\\(more: --before 2\\)\n");
    assertThat(gateway.requests(OpCase.GET_HISTORY).getFirst().getGetHistory().getLimit())
        .isEqualTo(2);
  }

  @Test
  void readMarksUpToTheNewestEntryByDefault() {
    gateway.answer(
        OpCase.GET_CONVERSATION,
        request ->
            Response.newBuilder()
                .setGetConversation(
                    GetConversationResponse.newBuilder()
                        .setConversation(direct(55, 8).toBuilder().setLastSeq(12))));
    gateway.answer(
        OpCase.MARK_READ,
        request ->
            Response.newBuilder()
                .setMarkRead(
                    MarkReadResponse.newBuilder().setReadSeq(request.getMarkRead().getSeq())));

    Run run = cli("read", "55");

    assertThat(run.out()).isEqualTo("conversation 55 read up to #12, 0 unread\n");
    assertThat(gateway.requests(OpCase.MARK_READ).getFirst().getMarkRead().getSeq()).isEqualTo(12);

    cli("read", "55", "9");
    assertThat(gateway.requests(OpCase.MARK_READ).getLast().getMarkRead().getSeq()).isEqualTo(9);
    assertThat(gateway.requests(OpCase.GET_CONVERSATION)).hasSize(1);
  }

  @Test
  void friendSubcommandsTakeTheGlobalOptionsToo() {
    gateway.answer(
        OpCase.SEND_FRIEND_REQUEST,
        request ->
            Response.newBuilder()
                .setSendFriendRequest(SendFriendRequestResponse.newBuilder().setFriends(true)));

    Run run = cli("friend", "add", "8", "--note", "it's Alice", "--json");

    assertThat(run.out()).isEqualTo("{\"friends\":true}\n");
    assertThat(
            gateway
                .requests(OpCase.SEND_FRIEND_REQUEST)
                .getFirst()
                .getSendFriendRequest()
                .getNote())
        .isEqualTo("it's Alice");
    assertThat(cli("friend", "add", "8").out())
        .isEqualTo("you and user 8 are friends now (they had sent you a request)\n");
  }

  @Test
  void requestsShowDisplayNamesButJsonAsksForNone() {
    gateway.answer(
        OpCase.LIST_FRIEND_REQUESTS,
        request ->
            Response.newBuilder()
                .setListFriendRequests(
                    ListFriendRequestsResponse.newBuilder()
                        .addIncoming(
                            FriendRequest.newBuilder()
                                .setFromUserId(8)
                                .setToUserId(FakeGateway.USER_ID))));
    gateway.answer(
        OpCase.GET_PROFILES,
        request ->
            Response.newBuilder()
                .setGetProfiles(
                    GetProfilesResponse.newBuilder()
                        .addProfiles(Profile.newBuilder().setUserId(8).setDisplayName("Bob"))));

    assertThat(cli("requests").out()).matches(" +USER +NAME +NOTE +SENT\nfrom +8 +Bob +- +-\n");
    assertThat(gateway.requests(OpCase.GET_PROFILES).getFirst().getGetProfiles().getUserIdsList())
        .containsExactly(8L);

    cli("requests", "--json");
    assertThat(gateway.requests(OpCase.GET_PROFILES)).hasSize(1);
  }

  @Test
  void groupShowListsMembersWithRoles() {
    gateway.answer(
        OpCase.GET_CONVERSATION,
        request ->
            Response.newBuilder()
                .setGetConversation(
                    GetConversationResponse.newBuilder()
                        .setConversation(
                            Conversation.newBuilder()
                                .setConversationId(66)
                                .setType(ConversationType.CONVERSATION_TYPE_GROUP)
                                .setTitle("Trip")
                                .setMemberCount(2))
                        .addMembers(
                            Member.newBuilder()
                                .setUserId(FakeGateway.USER_ID)
                                .setRole(Role.ROLE_OWNER))
                        .addMembers(Member.newBuilder().setUserId(8).setRole(Role.ROLE_MEMBER))));
    gateway.answer(
        OpCase.GET_PROFILES,
        request ->
            Response.newBuilder()
                .setGetProfiles(
                    GetProfilesResponse.newBuilder()
                        .addProfiles(Profile.newBuilder().setUserId(8).setDisplayName("Bob"))));

    Run run = cli("group", "show", "66");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("title          Trip\n")
        .containsPattern(FakeGateway.USER_ID + " +- +owner")
        .containsPattern("8 +Bob +member");
  }

  @Test
  void groupRoleSetsTheRole() {
    gateway.answer(
        OpCase.SET_MEMBER_ROLE,
        request ->
            Response.newBuilder().setSetMemberRole(SetMemberRoleResponse.newBuilder().setSeq(14)));

    Run run = cli("group", "role", "66", "8", "admin");

    assertThat(run.out()).isEqualTo("user 8 is now admin of group 66 (#14)\n");
    assertThat(gateway.requests(OpCase.SET_MEMBER_ROLE).getFirst().getSetMemberRole().getRole())
        .isEqualTo(Role.ROLE_ADMIN);
  }

  @Test
  void watchPrintsUpdates() {
    gateway.afterAuthenticate(
        Event.newBuilder()
            .setUpdate(Update.newBuilder().setPts(12).setMessage(text(1, "Hi!")))
            .build());
    gateway.afterAuthenticate(
        Event.newBuilder()
            .setUpdate(
                Update.newBuilder()
                    .setPts(13)
                    .setReadReceipt(
                        ReadReceipt.newBuilder().setConversationId(55).setUserId(8).setReadSeq(1)))
            .build());

    Run run = cli("watch", "--count", "2");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .isEqualTo(
            """
        update 12 message: 7319001122334455 #1 7: Hi!
        update 13 read_receipt: 55 user 8 read up to #1
        """);
  }

  @Test
  void syncRebuildsAndCountsTheRequests() {
    gateway.answer(
        OpCase.GET_STATE,
        request ->
            Response.newBuilder()
                .setGetState(GetStateResponse.newBuilder().setPts(5).setTotalUnread(2)));
    gateway.answer(
        OpCase.GET_CONVERSATIONS,
        request ->
            Response.newBuilder()
                .setGetConversations(
                    GetConversationsResponse.newBuilder()
                        .addConversations(direct(55, 8).toBuilder().setLastSeq(3).setUnreadCount(2))
                        .setTotalUnread(2)));
    gateway.answer(
        OpCase.GET_DIFFERENCE,
        request ->
            Response.newBuilder()
                .setGetDifference(
                    GetDifferenceResponse.newBuilder()
                        .setPts(request.getGetDifference().getPts())));

    Run run = cli("sync");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .startsWith(
            "rebuilt from the conversation list at pts 5: 0 updates, 3 requests "
                + "(get_state 1, get_conversations 1, get_difference 1, sync_groups 0, get_history 0)\n")
        .containsPattern("55 +direct +user 8 +0 +2")
        .endsWith("total unread: 2\n");
  }

  @Test
  void syncSinceAPtsShowsTheEntriesThatArrived() {
    gateway.answer(
        OpCase.GET_DIFFERENCE,
        request -> {
          GetDifferenceResponse.Builder answer =
              GetDifferenceResponse.newBuilder().setPts(request.getGetDifference().getPts());
          if (request.getGetDifference().getPts() == 3) {
            answer
                .addUpdates(Update.newBuilder().setPts(4).setMessage(text(1, "one")))
                .addUpdates(Update.newBuilder().setPts(5).setMessage(text(2, "two")))
                .setPts(5);
          }
          return Response.newBuilder().setGetDifference(answer);
        });

    Run run = cli("sync", "--since", "3");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .startsWith("caught up from pts 3 to pts 5: 2 updates, 1 requests")
        .containsPattern(
            EntryFormatTest.CHAT
                + " +direct +user 7 +2 +2 +#2 7: two"); // a feed message: one-to-one
    assertThat(gateway.operations()).containsExactly(OpCase.GET_DIFFERENCE);
  }
}
