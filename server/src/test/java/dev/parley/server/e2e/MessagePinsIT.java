package dev.parley.server.e2e;

import static dev.parley.server.e2e.TestUsers.group;
import static dev.parley.server.e2e.TestUsers.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.cli.CliCommand;
import dev.parley.client.ClientException;
import dev.parley.client.Encoding;
import dev.parley.client.Futures;
import dev.parley.client.ParleyClient;
import dev.parley.client.Recipient;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.GetPinnedMessagesResponse;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.Role;
import dev.parley.server.audit.ConversationLogs;
import dev.parley.testkit.PostgresExtension;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 12 item 5 end to end over the WebSocket protocol (design.md 13.5): pins and unpins reach
 * every device of every member live and after an offline sync (sync_groups for groups,
 * get_difference for one-to-one chats) as pin entries; only group admins and the owner pin in
 * groups, both users in one-to-one chats; the per-conversation bound, recalls unpinning, and the
 * membership window of get_pinned_messages. Devices alternate JSON and protobuf. One server for all
 * cases, with a bound of 3 pinned messages so that a test can reach it.
 */
class MessagePinsIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();

  static final int BOUND = 3;
  static TestNode node;
  static DevCodes codes;
  final TestUsers users = new TestUsers(node, codes);

  @BeforeAll
  static void start() {
    node = TestNode.start(postgres, Map.of("msg.max-pinned-messages", String.valueOf(BOUND)));
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

  private static long pin(Device d, long conversation, long seq) {
    return Futures.await(d.messenger.pin(conversation, seq)).getSeq();
  }

  private static long unpin(Device d, long conversation, long seq) {
    return Futures.await(d.messenger.unpin(conversation, seq)).getSeq();
  }

  /** The pinned messages' seqs as {@code d} sees them, most recently pinned first. */
  private static List<Long> pinned(Device d, long conversation) {
    return Futures.await(d.messenger.pinnedMessages(conversation)).stream()
        .map(p -> p.getMessage().getSeq())
        .toList();
  }

  /** The entry {@code seq} as this device's store holds it, once it holds it. */
  private static Message awaitStored(Device d, long conversation, long seq) {
    d.messenger.awaitCondition(() -> stored(d, conversation, seq).isPresent(), Device.WAIT);
    return stored(d, conversation, seq).orElseThrow();
  }

  private static Optional<Message> stored(Device d, long conversation, long seq) {
    return d.store.messages(conversation).stream().filter(m -> m.getSeq() == seq).findFirst();
  }

  /** Asserts that entry {@code entrySeq} on {@code d} (un)pins {@code target}, by {@code by}. */
  private static void assertPinEntry(
      Device d, long conversation, long entrySeq, long target, boolean pinned, Device by) {
    Message e = awaitStored(d, conversation, entrySeq);
    assertThat(e.getSenderId()).isEqualTo(by.userId());
    assertThat(e.hasPin()).as("entry %d is a pin entry: %s", entrySeq, e).isTrue();
    assertThat(e.getPin().getTargetSeq()).isEqualTo(target);
    assertThat(e.getPin().getPinned()).isEqualTo(pinned);
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

  private static int unread(Device d, long conversation) {
    return Futures.await(d.connection.getConversation(conversation))
        .getConversation()
        .getUnreadCount();
  }

  private static long lastSeq(Device d, long conversation) {
    return Futures.await(d.connection.getConversation(conversation)).getConversation().getLastSeq();
  }

  @Test
  void adminsPinInAGroup_membersAreRefused_andEveryDeviceSeesPinsLiveAndAfterAnOfflineSync() {
    List<Device> ann = users.user("ann", 2); // owner
    List<Device> ben = users.user("ben", 2); // member
    Device cat = users.user("cat", 1).get(0); // member, then admin
    long g = group(ann.get(0), ben.get(0), cat);
    long first = send(ben.get(0), g, "Meeting at 10");
    long second = send(cat, g, "Agenda: budget");
    awaitStored(ben.get(1), g, second);
    ben.get(1).disconnect(); // offline across the pins

    long pinFirst = pin(ann.get(0), g, first);
    for (Device d : List.of(ann.get(0), ann.get(1), ben.get(0), cat))
      assertPinEntry(d, g, pinFirst, first, true, ann.get(0));
    // A pin entry is not reading for the pinner (unlike ann's own messages and service entries):
    // ben's and cat's messages are still unread for her.
    assertThat(unread(ann.get(0), g)).isEqualTo(2);

    // A plain member may neither pin nor unpin.
    assertThat(reasonOf(() -> pin(ben.get(0), g, second))).isEqualTo(Reason.PERMISSION_DENIED);
    assertThat(reasonOf(() -> unpin(ben.get(0), g, first))).isEqualTo(Reason.PERMISSION_DENIED);
    // Pinning a pinned message is a success that writes nothing.
    long head = lastSeq(ann.get(0), g);
    assertThat(pin(ann.get(0), g, first)).isZero();
    assertThat(lastSeq(ann.get(0), g)).isEqualTo(head);

    // An admin may pin.
    Futures.await(ann.get(0).connection.setMemberRole(g, cat.userId(), Role.ROLE_ADMIN));
    long pinSecond = pin(cat, g, second);
    assertPinEntry(ben.get(0), g, pinSecond, second, true, cat);
    assertThat(pinned(ben.get(0), g)).containsExactly(second, first); // newest pin first
    GetPinnedMessagesResponse page =
        Futures.await(ben.get(0).connection.getPinnedMessages(g, 0, 1));
    assertThat(page.getMore()).isTrue();
    GetPinnedMessagesResponse.Pinned top = page.getPinned(0);
    assertThat(top.getMessage().getText().getText()).isEqualTo("Agenda: budget");
    assertThat(top.getPinnedBy()).isEqualTo(cat.userId());
    assertThat(top.getPinSeq()).isEqualTo(pinSecond);
    assertThat(top.getPinnedAtMs()).isPositive();
    GetPinnedMessagesResponse rest =
        Futures.await(ben.get(0).connection.getPinnedMessages(g, top.getPinSeq(), 1));
    assertThat(rest.getPinnedList())
        .extracting(p -> p.getMessage().getSeq())
        .containsExactly(first);
    assertThat(rest.getMore()).isFalse();

    // Unpinning; a second unpin writes nothing.
    long unpinFirst = unpin(cat, g, first);
    assertPinEntry(ann.get(1), g, unpinFirst, first, false, cat);
    assertThat(unpin(ann.get(0), g, first)).isZero();
    assertThat(pinned(ann.get(0), g)).containsExactly(second);

    // Pin entries are not unread for anyone: ben has cat's message unread, nothing more.
    assertThat(unread(ben.get(0), g)).isEqualTo(1);

    // The device that was offline gets every pin entry at sync.
    ben.get(1).connect();
    assertPinEntry(ben.get(1), g, pinFirst, first, true, ann.get(0));
    assertPinEntry(ben.get(1), g, pinSecond, second, true, cat);
    assertPinEntry(ben.get(1), g, unpinFirst, first, false, cat);
    ConversationLogs.checkInvariants(g, ben.get(0).history(g));
  }

  @Test
  void inADirectChatBothUsersPin_andTheOtherSidesOfflineDeviceGetsThePinsThroughTheFeed() {
    List<Device> ann = users.user("ann", 2);
    Device ben = users.user("ben", 1).get(0);
    long direct =
        Futures.await(ann.get(0).messenger.sendText(Recipient.user(ben.userId()), "hi"))
            .getConversationId();
    long msg = send(ben, direct, "Address: 1 Main St");
    awaitStored(ann.get(1), direct, msg);
    ann.get(1).disconnect();

    long byBen = pin(ben, direct, msg);
    long byAnn = pin(ann.get(0), direct, 1);
    assertPinEntry(ann.get(0), direct, byBen, msg, true, ben);
    assertPinEntry(ben, direct, byAnn, 1, true, ann.get(0));
    long unpinned = unpin(ann.get(0), direct, msg); // either user unpins any pin
    assertPinEntry(ben, direct, unpinned, msg, false, ann.get(0));
    assertThat(pinned(ben, direct)).containsExactly(1L);

    ann.get(1).connect();
    assertPinEntry(ann.get(1), direct, byBen, msg, true, ben);
    assertPinEntry(ann.get(1), direct, unpinned, msg, false, ann.get(0));
    ConversationLogs.checkInvariants(direct, ben.history(direct));
  }

  @Test
  void theBoundHolds_aRecallUnpins_andOnlyVisibleMessagesCanBePinned() {
    Device ann = users.user("ann", 1).get(0);
    Device ben = users.user("ben", 1).get(0);
    Device dan = users.user("dan", 1).get(0); // not a member
    long g = group(ann, ben);
    List<Long> msgs = new ArrayList<>();
    for (int i = 0; i <= BOUND; i++) msgs.add(send(ben, g, "m" + i));
    for (int i = 0; i < BOUND; i++) pin(ann, g, msgs.get(i));
    assertThat(reasonOf(() -> pin(ann, g, msgs.get(BOUND))))
        .isEqualTo(Reason.TOO_MANY_PINNED_MESSAGES);

    // A recall unpins (without a pin entry) and frees a place; a recalled message cannot be pinned.
    long recalled = msgs.get(1);
    long head = lastSeq(ann, g);
    Futures.await(ben.connection.recallMessage(g, recalled));
    assertThat(lastSeq(ann, g)).isEqualTo(head + 1); // the recall entry only
    assertThat(pinned(ann, g)).doesNotContain(recalled).hasSize(BOUND - 1);
    assertThat(reasonOf(() -> pin(ann, g, recalled))).isEqualTo(Reason.MESSAGE_RECALLED);
    assertThat(unpin(ann, g, recalled)).isZero();
    pin(ann, g, msgs.get(BOUND));
    assertThat(pinned(ben, g)).containsExactly(msgs.get(BOUND), msgs.get(2), msgs.get(0));

    // Only messages: not the GROUP_CREATED entry, not a pin entry.
    assertThat(reasonOf(() -> pin(ann, g, 1))).isEqualTo(Reason.INVALID_ARGUMENT);
    assertThat(reasonOf(() -> pin(ann, g, head))).isEqualTo(Reason.INVALID_ARGUMENT);
    assertThat(reasonOf(() -> pin(ann, g, 10_000))).isEqualTo(Reason.NOT_FOUND);
    // Outsiders learn nothing.
    assertThat(reasonOf(() -> pin(dan, g, msgs.get(0)))).isEqualTo(Reason.NOT_FOUND);
    assertThat(reasonOf(() -> pinned(dan, g))).isEqualTo(Reason.NOT_FOUND);
    ConversationLogs.checkInvariants(g, ann.history(g));
  }

  @Test
  void getPinnedMessagesListsOnlyMessagesInsideTheCallersWindow() {
    Device ann = users.user("ann", 1).get(0);
    Device ben = users.user("ben", 1).get(0);
    Device cat = users.user("cat", 1).get(0);
    long g = group(ann, ben);
    long before = send(ann, g, "before cat joined");
    pin(ann, g, before);

    Futures.await(ann.connection.inviteMembers(g, List.of(cat.userId())));
    long after = send(ann, g, "after cat joined");
    long pinAfter = pin(ann, g, after);
    assertPinEntry(cat, g, pinAfter, after, true, ann);
    assertThat(pinned(cat, g)).containsExactly(after);
    assertThat(pinned(ben, g)).containsExactly(after, before);

    // A former member keeps what they could see, and sees no later pin.
    Futures.await(ann.connection.removeMember(g, ben.userId()));
    long later = send(ann, g, "after ben left");
    pin(ann, g, later);
    assertThat(pinned(ben, g)).containsExactly(after, before);
    assertThat(pinned(cat, g)).containsExactly(later, after);
    assertThat(reasonOf(() -> pin(ben, g, before))).isEqualTo(Reason.CONVERSATION_CLOSED);
    ConversationLogs.checkInvariants(g, ann.history(g));
  }

  @Test
  void theCliPinsUnpinsAndListsPins(@TempDir Path home) {
    ParleyClient json = node.client(Encoding.JSON);
    String annEmail = DevCodes.uniqueEmail("ann");
    Device ann = Device.online(json, codes.register(json, annEmail, "ann", "ann-0"));
    users.track(ann);
    Device ben = users.user("ben", 1).get(0);
    long g = group(ann, ben);
    long msg = send(ben, g, "Release on Friday");
    Map<String, String> env = Map.of("PARLEY_CLI_HOME", home.toString());
    cli(
        env,
        "login",
        annEmail,
        "--password",
        Users.PASSWORD,
        "--server",
        node.baseUri().toString());
    String chat = String.valueOf(g);
    assertThat(cli(env, "pin-message", chat, String.valueOf(msg)))
        .isEqualTo(String.format("#%d pinned (pin entry #%d)", msg, msg + 1));
    assertThat(cli(env, "pin-message", chat, String.valueOf(msg)))
        .isEqualTo(String.format("#%d already pinned", msg));
    assertPinEntry(ben, g, msg + 1, msg, true, ann);
    assertThat(cli(env, "pinned", chat))
        .contains(String.format("#%d ", msg))
        .endsWith(
            String.format("%d: Release on Friday (pinned by %d)", ben.userId(), ann.userId()));
    assertThat(cli(env, "pin-message", chat, String.valueOf(msg), "--off"))
        .isEqualTo(String.format("#%d unpinned (pin entry #%d)", msg, msg + 2));
    assertThat(cli(env, "pin-message", chat, String.valueOf(msg), "--off"))
        .isEqualTo(String.format("#%d already unpinned", msg));
    assertThat(cli(env, "pinned", chat)).isEqualTo("no pinned messages");
  }

  /** Runs the CLI in-process; returns its standard output, failing on a non-zero exit. */
  private static String cli(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = new CommandLine(new CliCommand(env, InputStream.nullInputStream()));
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    assertThat(commandLine.execute(args)).as(err.toString()).isZero();
    return out.toString().strip();
  }
}
