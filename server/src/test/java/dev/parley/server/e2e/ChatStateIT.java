package dev.parley.server.e2e;

import static dev.parley.server.e2e.TestUsers.group;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.ClientException;
import dev.parley.client.Futures;
import dev.parley.client.Recipient;
import dev.parley.proto.client.ChatState;
import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.Update;
import dev.parley.testkit.PostgresExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12 item 6 end to end over the WebSocket protocol (design.md 13.3): pins with their order
 * and limit, archive, the unread mark and drafts, made on one device of a user and seen by a
 * connected one live and by one that was offline after its sync, through the SDK's store; the
 * conversation list returns them; drafts are encrypted in the table. One server for all cases.
 */
class ChatStateIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  static final int MAX_PINS = 3;
  static TestNode node;
  static DevCodes codes;
  final TestUsers users = new TestUsers(node, codes);

  @BeforeAll
  static void start() {
    node = TestNode.start(postgres, Map.of("msg.max-pinned-chats", String.valueOf(MAX_PINS)));
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

  /** Waits until the device's store holds this state of the conversation (it follows the feed). */
  private static void awaitState(Device d, long conversation, ChatState expected) {
    d.messenger.awaitCondition(() -> d.store.chatState(conversation).equals(expected), Device.WAIT);
  }

  private static ChatState listed(Device d, long conversation) {
    return Futures.await(d.connection.getConversations(0, "")).getConversationsList().stream()
        .filter(c -> c.getConversationId() == conversation)
        .map(Conversation::getChatState)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void pinsKeepTheirOrderAndLimitOnEveryDevice() {
    List<Device> ann = users.user("ann", 3);
    Device phone = ann.get(0);
    Device tablet = ann.get(1);
    Device laptop = ann.get(2);
    Device ben = users.user("ben", 1).get(0);
    long g1 = group(phone, ben);
    long g2 = group(phone, ben);
    long g3 = group(phone, ben);
    long g4 = group(phone, ben);
    laptop.disconnect();

    Futures.await(phone.messenger.pinChat(g1, true));
    Futures.await(phone.messenger.pinChat(g2, true));
    ChatState third = Futures.await(phone.messenger.pinChat(g3, true));
    // Pinning a pinned chat keeps its place (no new rank).
    assertThat(Futures.await(phone.messenger.pinChat(g3, true))).isEqualTo(third);
    awaitState(tablet, g3, third);
    // Newest pin on top.
    tablet.messenger.awaitCondition(
        () -> tablet.messenger.pinnedChats().equals(List.of(g3, g2, g1)), Device.WAIT);

    assertThat(reasonOf(() -> Futures.await(phone.messenger.pinChat(g4, true))))
        .isEqualTo(Reason.TOO_MANY_PINNED_CHATS);

    List<Long> order = List.of(g1, g3, g2);
    assertThat(Futures.await(phone.messenger.reorderPinnedChats(order)))
        .extracting(u -> u.getConversationId())
        .containsExactlyElementsOf(order);
    tablet.messenger.awaitCondition(
        () -> tablet.messenger.pinnedChats().equals(order), Device.WAIT);
    // A reorder must name exactly the pinned chats.
    assertThat(reasonOf(() -> Futures.await(phone.messenger.reorderPinnedChats(List.of(g1, g3)))))
        .isEqualTo(Reason.PINNED_CHATS_MISMATCH);
    assertThat(
            reasonOf(
                () -> Futures.await(phone.messenger.reorderPinnedChats(List.of(g1, g3, g2, g4)))))
        .isEqualTo(Reason.PINNED_CHATS_MISMATCH);

    // Unpinning frees a place; the new pin goes on top.
    Futures.await(phone.messenger.pinChat(g3, false));
    Futures.await(phone.messenger.pinChat(g4, true));
    List<Long> now = List.of(g4, g1, g2);
    tablet.messenger.awaitCondition(() -> tablet.messenger.pinnedChats().equals(now), Device.WAIT);

    // The device that was away gets the same order from its feed; the list returns the ranks.
    laptop.connect();
    assertThat(laptop.messenger.pinnedChats()).isEqualTo(now);
    assertThat(listed(laptop, g3).getPinRank()).isZero();
    assertThat(listed(laptop, g4).getPinRank())
        .isGreaterThan(listed(laptop, g1).getPinRank())
        .isEqualTo(laptop.store.chatState(g4).getPinRank());
    // Ben's pins are his own: none.
    assertThat(listed(ben, g1).getPinRank()).isZero();
  }

  @Test
  void archiveStaysWhenMessagesArriveAndTheUnreadMarkIsClearedByReadingOnAnotherDevice() {
    List<Device> ann = users.user("ann", 3);
    Device phone = ann.get(0);
    Device tablet = ann.get(1);
    Device laptop = ann.get(2);
    Device ben = users.user("ben", 1).get(0);
    long g = group(ben, phone);
    laptop.disconnect();

    ChatState archived = Futures.await(phone.messenger.archiveChat(g, true));
    assertThat(archived.getArchived()).isTrue();
    awaitState(tablet, g, archived);
    // A new message leaves it in the archive.
    Futures.await(ben.messenger.sendText(Recipient.conversation(g), "still there?"));
    tablet.messenger.awaitCondition(() -> tablet.store.messages(g).size() >= 2, Device.WAIT);
    assertThat(listed(tablet, g).getArchived()).isTrue();

    ChatState marked = Futures.await(tablet.messenger.markUnread(g, true));
    assertThat(marked.getMarkedUnread()).isTrue();
    awaitState(phone, g, marked);
    // Reading on the phone clears the mark everywhere, also when nothing new was read.
    Futures.await(phone.messenger.markRead(g));
    Futures.await(tablet.messenger.markUnread(g, true));
    awaitState(phone, g, marked);
    Futures.await(phone.messenger.markRead(g));
    ChatState cleared = marked.toBuilder().setMarkedUnread(false).build();
    awaitState(tablet, g, cleared);
    assertThat(listed(tablet, g)).isEqualTo(cleared);

    laptop.connect();
    assertThat(laptop.store.chatState(g)).isEqualTo(cleared);
  }

  @Test
  void draftsReachEveryDeviceEncryptedAtRestAndAreClearedBySending() {
    List<Device> ann = users.user("ann", 3);
    Device phone = ann.get(0);
    Device tablet = ann.get(1);
    Device laptop = ann.get(2);
    Device ben = users.user("ben", 1).get(0);
    long g = group(phone, ben);
    long first =
        Futures.await(ben.messenger.sendText(Recipient.conversation(g), "lunch?")).getSeq();
    long pts = Futures.await(laptop.connection.getState()).getPts();
    laptop.disconnect();

    String secret = "meet me at the old lighthouse";
    ChatState drafted = Futures.await(phone.messenger.saveDraft(g, secret, first));
    assertThat(drafted.getDraft().getText()).isEqualTo(secret);
    assertThat(drafted.getDraft().getReplyToSeq()).isEqualTo(first);
    awaitState(tablet, g, drafted);

    // Not readable in the table (nor in the feed rows).
    byte[] stored =
        postgres
            .database()
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT draft FROM msg.chat_state"
                                + " WHERE user_id = :u AND conversation_id = :c")
                        .bind("u", phone.userId())
                        .bind("c", g)
                        .mapTo(byte[].class)
                        .one());
    assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("lighthouse");
    long feedRowsWithText =
        postgres
            .database()
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT count(*) FROM msg.feed WHERE user_id = :u"
                                + " AND position('lighthouse'::bytea IN coalesce(payload, ''::bytea)) > 0")
                        .bind("u", phone.userId())
                        .mapTo(Long.class)
                        .one());
    assertThat(feedRowsWithText).isZero();

    // The device that was away: in its difference and, through the SDK, in its store.
    List<Update> missed =
        Futures.await(phone.connection.getDifference(pts, 0)).getUpdatesList().stream()
            .filter(Update::hasChatState)
            .toList();
    assertThat(missed).hasSize(1);
    assertThat(missed.get(0).getChatState().getState()).isEqualTo(drafted);
    laptop.connect();
    assertThat(laptop.store.chatState(g)).isEqualTo(drafted);
    assertThat(listed(laptop, g)).isEqualTo(drafted);

    // Too long for a message: too long for a draft.
    assertThat(reasonOf(() -> Futures.await(phone.messenger.saveDraft(g, "x".repeat(4001), 0))))
        .isEqualTo(Reason.INVALID_ARGUMENT);

    // Sending from the laptop ends the draft on every device.
    Futures.await(laptop.messenger.sendText(Recipient.conversation(g), secret));
    ChatState none = ChatState.getDefaultInstance();
    awaitState(phone, g, none);
    awaitState(tablet, g, none);
    assertThat(listed(phone, g)).isEqualTo(none);
  }
}
