package dev.parley.server.e2e;

import static dev.parley.server.e2e.TestUsers.group;
import static dev.parley.server.e2e.TestUsers.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.ClientException;
import dev.parley.client.Futures;
import dev.parley.client.Recipient;
import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.Mention;
import dev.parley.proto.client.Message;
import dev.parley.server.audit.ConversationLogs;
import dev.parley.testkit.PostgresExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12 items 1-3 end to end over the WebSocket protocol (design.md 13): edits, replies and
 * mentions reach every device of every member live and after an offline sync (the SDK's
 * get_difference for one-to-one chats, sync_groups for groups), with their permission and window
 * errors and their interactions with recall and read markers.
 */
class EditsRepliesMentionsIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();

  /** Short enough to pass by moving the node's clock, long enough for any slow machine. */
  static final Duration EDIT_WINDOW = Duration.ofMinutes(10);

  static TestNode node;
  static DevCodes codes;
  final TestUsers users = new TestUsers(node, codes);

  @BeforeAll
  static void start() {
    node = TestNode.start(postgres, Map.of("msg.edit-window", "10m"));
    codes = new DevCodes(node.dataDir);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @AfterEach
  void closeDevices() {
    users.close();
  }

  /** The entry {@code seq} as this device's store holds it, once it holds it. */
  private static Message awaitStored(Device d, long conversation, long seq) {
    d.messenger.awaitCondition(() -> stored(d, conversation, seq).isPresent(), Device.WAIT);
    return stored(d, conversation, seq).orElseThrow();
  }

  private static Optional<Message> stored(Device d, long conversation, long seq) {
    return d.store.messages(conversation).stream().filter(m -> m.getSeq() == seq).findFirst();
  }

  private static Message fromHistory(Device d, long conversation, long seq) {
    return d.history(conversation).stream()
        .filter(m -> m.getSeq() == seq)
        .findFirst()
        .orElseThrow();
  }

  private static Reason reasonOf(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      Throwable t = e;
      while (t != null && !(t instanceof ClientException)) t = t.getCause();
      if (t instanceof ClientException c) return c.reason();
      throw e;
    }
    throw new AssertionError("no error");
  }

  private static Conversation conversation(Device d, long id) {
    return Futures.await(d.connection.getConversation(id)).getConversation();
  }

  @Test
  void anEditReachesEveryDeviceLiveAndAfterAnOfflineSync_inAGroupAndADirectChat() {
    List<Device> ann = users.user("ann", 2);
    List<Device> ben = users.user("ben", 2);
    long g = group(ann.get(0), ben.get(0));
    long direct =
        Futures.await(ann.get(0).messenger.sendText(Recipient.user(ben.get(0).userId()), "hi"))
            .getConversationId();
    long inGroup = send(ann.get(0), g, "Lunch at one?");
    long inDirect = send(ann.get(0), direct, "See you at noon");
    awaitStored(ben.get(1), g, inGroup);
    awaitStored(ben.get(1), direct, inDirect);
    ben.get(1).disconnect(); // offline across the edits

    long groupEdit =
        Futures.await(ann.get(1).messenger.editText(g, inGroup, "Lunch at two?")).getSeq();
    long directEdit =
        Futures.await(ann.get(1).messenger.editText(direct, inDirect, "See you at one")).getSeq();

    // Live: every connected device of both users gets the edit entries.
    for (Device d : List.of(ann.get(0), ann.get(1), ben.get(0))) {
      Message e = awaitStored(d, g, groupEdit);
      assertThat(e.getEdit().getTargetSeq()).isEqualTo(inGroup);
      assertThat(e.getEdit().getText()).isEqualTo("Lunch at two?");
      assertThat(awaitStored(d, direct, directEdit).getEdit().getText())
          .isEqualTo("See you at one");
    }
    // After the offline time: the SDK's catch-up (sync_groups, get_difference) brings them.
    ben.get(1).connect();
    assertThat(awaitStored(ben.get(1), g, groupEdit).getEdit().getText())
        .isEqualTo("Lunch at two?");
    assertThat(awaitStored(ben.get(1), direct, directEdit).getEdit().getText())
        .isEqualTo("See you at one");

    // History holds the latest version, marked edited; the edit counts for nobody's unread.
    Message edited = fromHistory(ben.get(0), g, inGroup);
    assertThat(edited.getText().getText()).isEqualTo("Lunch at two?");
    assertThat(edited.getEditedAtMs()).isGreaterThanOrEqualTo(edited.getSentAtMs());
    assertThat(conversation(ben.get(0), g).getUnreadCount()).isEqualTo(1);

    // A second edit: the message reads the newest text; the first edit entry keeps no text.
    long again =
        Futures.await(ann.get(0).messenger.editText(g, inGroup, "Lunch at three?")).getSeq();
    assertThat(fromHistory(ben.get(0), g, inGroup).getText().getText())
        .isEqualTo("Lunch at three?");
    Message superseded = fromHistory(ben.get(0), g, groupEdit);
    assertThat(superseded.getEdit().getText()).isEmpty();
    assertThat(superseded.getRecalled()).isTrue();
    assertThat(fromHistory(ben.get(0), g, again).getEdit().getText()).isEqualTo("Lunch at three?");
    ConversationLogs.checkInvariants(g, ben.get(0).history(g));
    ConversationLogs.checkInvariants(direct, ben.get(0).history(direct));
  }

  @Test
  void editsAreRefused_forOthersMessages_recalledOnes_nonTexts_andAfterTheWindow() {
    Device ann = users.user("ann", 1).get(0);
    Device ben = users.user("ben", 1).get(0);
    long g = group(ann, ben); // ann is the owner: even so, she cannot edit ben's text
    long bens = send(ben, g, "mine");
    assertThat(reasonOf(() -> Futures.await(ann.messenger.editText(g, bens, "yours"))))
        .isEqualTo(Reason.PERMISSION_DENIED);

    long recalled = send(ben, g, "oops");
    Futures.await(ben.connection.recallMessage(g, recalled));
    assertThat(reasonOf(() -> Futures.await(ben.messenger.editText(g, recalled, "fixed"))))
        .isEqualTo(Reason.MESSAGE_RECALLED);

    // The GROUP_CREATED entry (seq 1) is no text.
    assertThat(reasonOf(() -> Futures.await(ann.messenger.editText(g, 1, "x"))))
        .isEqualTo(Reason.MESSAGE_NOT_EDITABLE);

    long late = send(ben, g, "before the window closed");
    node.clock.advance(EDIT_WINDOW.plusMinutes(1));
    assertThat(reasonOf(() -> Futures.await(ben.messenger.editText(g, late, "after"))))
        .isEqualTo(Reason.EDIT_WINDOW_PASSED);
    assertThat(fromHistory(ben, g, late).getText().getText()).isEqualTo("before the window closed");
    assertThat(fromHistory(ben, g, late).getEditedAtMs()).isZero();
  }

  @Test
  void editThenRecall_leavesNoContentInTheMessageOrItsEdits() {
    Device ann = users.user("ann", 1).get(0);
    Device ben = users.user("ben", 1).get(0);
    long g = group(ann, ben);
    long seq = send(ann, g, "first draft");
    long edit = Futures.await(ann.messenger.editText(g, seq, "second draft")).getSeq();
    Futures.await(ann.connection.recallMessage(g, seq));

    Message gone = fromHistory(ben, g, seq);
    assertThat(gone.getRecalled()).isTrue();
    assertThat(gone.hasText()).isFalse();
    Message editGone = fromHistory(ben, g, edit);
    assertThat(editGone.getRecalled()).isTrue();
    assertThat(editGone.getEdit().getText()).isEmpty();
    assertThat(editGone.getEdit().getTargetSeq()).isEqualTo(seq);
    ConversationLogs.checkInvariants(g, ben.history(g));
  }

  @Test
  void aReplyQuotesItsOriginal_followsItsEdit_andShowsDeletedAfterItsRecall() {
    List<Device> ann = users.user("ann", 1);
    List<Device> ben = users.user("ben", 2);
    long g = group(ann.get(0), ben.get(0));
    long original = send(ann.get(0), g, "Who is in for Friday?");
    long reply =
        Futures.await(
                ben.get(0).messenger.sendText(Recipient.conversation(g), "Me", original, List.of()))
            .getSeq();

    // Live, on the replier's other device too.
    Message live = awaitStored(ben.get(1), g, reply);
    assertThat(live.getReplyTo().getSeq()).isEqualTo(original);
    assertThat(live.getReplyTo().getSenderId()).isEqualTo(ann.get(0).userId());
    assertThat(live.getReplyTo().getSnippet()).isEqualTo("Who is in for Friday?");

    Futures.await(ann.get(0).messenger.editText(g, original, "Who is in for Saturday?"));
    assertThat(fromHistory(ben.get(0), g, reply).getReplyTo().getSnippet())
        .isEqualTo("Who is in for Saturday?");

    ben.get(1).disconnect();
    Futures.await(ann.get(0).connection.recallMessage(g, original));
    Message quoted = fromHistory(ben.get(0), g, reply);
    assertThat(quoted.getReplyTo().getDeleted()).isTrue();
    assertThat(quoted.getReplyTo().getSnippet()).isEmpty();
    assertThat(quoted.getText().getText()).isEqualTo("Me");

    // A reply to the recalled message shows it deleted from the start.
    long late =
        Futures.await(
                ben.get(0)
                    .messenger
                    .sendText(Recipient.conversation(g), "What was it?", original, List.of()))
            .getSeq();
    ben.get(1).connect();
    Message synced = awaitStored(ben.get(1), g, late);
    assertThat(synced.getReplyTo().getDeleted()).isTrue();
    assertThat(synced.getReplyTo().getSnippet()).isEmpty();
    ConversationLogs.checkInvariants(g, ben.get(0).history(g));
  }

  @Test
  void mentionsCountUntilReadPast_jumpToTheNext_andOnlyAdminsMentionAll() {
    Device ann = users.user("ann", 1).get(0); // owner
    List<Device> ben = users.user("ben", 2);
    Device cat = users.user("cat", 1).get(0);
    long g = group(ann, ben.get(0), cat);
    long benId = ben.get(0).userId();
    String text = "@ben look";
    Mention atBen = Mention.newBuilder().setUserId(benId).setOffset(0).setLength(4).build();
    long first =
        Futures.await(cat.messenger.sendText(Recipient.conversation(g), text, 0, List.of(atBen)))
            .getSeq();
    send(cat, g, "no mention here");
    Mention all = Mention.newBuilder().setUserId(0).setOffset(0).setLength(4).build();
    long second =
        Futures.await(
                ann.messenger.sendText(Recipient.conversation(g), "@all lunch", 0, List.of(all)))
            .getSeq();
    // A member cannot mention @all; a non-member cannot be mentioned.
    assertThat(
            reasonOf(
                () ->
                    Futures.await(
                        cat.messenger.sendText(
                            Recipient.conversation(g), "@all hey", 0, List.of(all)))))
        .isEqualTo(Reason.PERMISSION_DENIED);
    Device dan = users.user("dan", 1).get(0);
    Mention atDan = Mention.newBuilder().setUserId(dan.userId()).setOffset(0).setLength(4).build();
    assertThat(
            reasonOf(
                () ->
                    Futures.await(
                        cat.messenger.sendText(
                            Recipient.conversation(g), "@dan hi", 0, List.of(atDan)))))
        .isEqualTo(Reason.INVALID_ARGUMENT);

    // The mention reached ben's second device live, with its range.
    Message live = awaitStored(ben.get(1), g, first);
    assertThat(live.getMentionsList()).containsExactly(atBen);

    assertThat(conversation(ben.get(0), g).getUnreadMentions()).isEqualTo(2);
    assertThat(conversation(cat, g).getUnreadMentions()).isEqualTo(1); // ann's @all
    var next = Futures.await(ben.get(0).connection.getMentions(g, 0, 10));
    assertThat(next.getSeqsList()).containsExactly(first, second);
    assertThat(next.getUnreadMentions()).isEqualTo(2);
    assertThat(Futures.await(ben.get(0).connection.getMentions(g, first, 10)).getSeqsList())
        .containsExactly(second);

    // Reading past the first mention clears it; the marker says so on every device.
    var read = Futures.await(ben.get(0).connection.markRead(g, first));
    assertThat(read.getUnreadMentions()).isEqualTo(1);
    assertThat(conversation(ben.get(1), g).getUnreadMentions()).isEqualTo(1);
    // A recalled mention no longer counts.
    Futures.await(ann.connection.recallMessage(g, second));
    assertThat(conversation(ben.get(0), g).getUnreadMentions()).isZero();
    assertThat(Futures.await(ben.get(0).connection.getMentions(g, first, 10)).getSeqsList())
        .isEmpty();
  }

  @Test
  void anEditReplacesTheMentions() {
    Device ann = users.user("ann", 1).get(0);
    Device ben = users.user("ben", 1).get(0);
    Device cat = users.user("cat", 1).get(0);
    long g = group(ann, ben, cat);
    Mention atBen = Mention.newBuilder().setUserId(ben.userId()).setOffset(0).setLength(4).build();
    Mention atCat = Mention.newBuilder().setUserId(cat.userId()).setOffset(0).setLength(4).build();
    long seq =
        Futures.await(
                ann.messenger.sendText(Recipient.conversation(g), "@ben hi", 0, List.of(atBen)))
            .getSeq();
    assertThat(conversation(ben, g).getUnreadMentions()).isEqualTo(1);
    Futures.await(ann.connection.editMessage(g, seq, "@cat hi", List.of(atCat)));
    assertThat(conversation(ben, g).getUnreadMentions()).isZero();
    assertThat(conversation(cat, g).getUnreadMentions()).isEqualTo(1);
    assertThat(fromHistory(cat, g, seq).getMentionsList()).containsExactly(atCat);
  }
}
