package dev.parley.server.e2e;

import static dev.parley.server.e2e.TestUsers.group;
import static dev.parley.server.e2e.TestUsers.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.parley.cli.CliCommand;
import dev.parley.client.ClientException;
import dev.parley.client.Encoding;
import dev.parley.client.Futures;
import dev.parley.client.ParleyClient;
import dev.parley.client.Recipient;
import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.GetReactorsResponse;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.ReactionCount;
import dev.parley.server.audit.ConversationLogs;
import dev.parley.testkit.PostgresExtension;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
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
 * Issue 12 item 4 end to end over the WebSocket protocol (design.md 13.4): reactions reach every
 * device of every member live and after an offline sync (sync_groups for groups, get_difference for
 * one-to-one chats), history carries counts computed from the stored reactions, the limits and the
 * allowed set are enforced, and reactions of removed members and on recalled messages disappear.
 * One server for all cases.
 */
class ReactionsPinsIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();

  static TestNode node;
  static DevCodes codes;
  final TestUsers users = new TestUsers(node, codes);

  @BeforeAll
  static void start() {
    // A small distinct-emoji bound so that the test can reach it with three users.
    node = TestNode.start(postgres, Map.of("msg.reactions.max-distinct", "4"));
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

  private static long react(Device d, long conversation, long seq, String... emoji) {
    return Futures.await(d.messenger.react(conversation, seq, emoji)).getSeq();
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

  private static ReactionCount count(String emoji, int n, boolean mine) {
    return ReactionCount.newBuilder().setEmoji(emoji).setCount(n).setReactedByMe(mine).build();
  }

  private static GetReactorsResponse reactors(Device d, long conversation, long seq, String emoji) {
    return Futures.await(d.connection.getReactors(conversation, seq, emoji, "", 0));
  }

  @Test
  void reactionsReachEveryDeviceLiveAndAfterAnOfflineSync_andHistoryCarriesTheCounts() {
    List<Device> ann = users.user("ann", 2);
    List<Device> ben = users.user("ben", 2);
    Device cat = users.user("cat", 1).get(0);
    long g = group(ann.get(0), ben.get(0), cat);
    long msg = send(ann.get(0), g, "Pizza tonight?");
    awaitStored(ben.get(1), g, msg);
    ben.get(1).disconnect(); // offline across the reactions

    // "❤️" (with U+FE0F) and "❤" are one reaction.
    long bens = react(ben.get(0), g, msg, "👍", "❤️");
    long cats = react(cat, g, msg, "👍");

    // Live: the sender's devices (and everyone else's) get the entries and the message's counts.
    for (Device d : List.of(ann.get(0), ann.get(1), cat)) {
      Message e = awaitStored(d, g, cats);
      assertThat(e.getSenderId()).isEqualTo(cat.userId());
      assertThat(e.getReaction().getTargetSeq()).isEqualTo(msg);
      assertThat(e.getReaction().getEmojiList()).containsExactly("👍");
      assertThat(e.getReaction().getReactionsList())
          .containsExactly(count("❤", 1, false), count("👍", 2, false));
    }
    assertThat(awaitStored(ann.get(1), g, bens).getReaction().getEmojiList())
        .containsExactly("👍", "❤");
    // The SDK applied the entries to its copy of the message.
    assertThat(stored(ann.get(1), g, msg).orElseThrow().getReactionsList())
        .containsExactly(count("❤", 1, false), count("👍", 2, false));

    // After the offline time: sync_groups brings the entries; the SDK keeps "mine" for ben.
    ben.get(1).connect();
    awaitStored(ben.get(1), g, cats);
    assertThat(stored(ben.get(1), g, msg).orElseThrow().getReactionsList())
        .containsExactly(count("❤", 1, true), count("👍", 2, true));

    // History computes the counts from the stored reactions, per viewer.
    assertThat(fromHistory(ben.get(0), g, msg).getReactionsList())
        .containsExactly(count("❤", 1, true), count("👍", 2, true));
    assertThat(fromHistory(ann.get(0), g, msg).getReactionsList())
        .containsExactly(count("❤", 1, false), count("👍", 2, false));

    // Reacting is neither unread for anyone nor reading for the reactor: ben still has ann's
    // message unread, ann has nothing unread.
    assertThat(conversation(ben.get(0), g).getUnreadCount()).isEqualTo(1);
    assertThat(conversation(ann.get(0), g).getUnreadCount()).isZero();

    // Who reacted, by emoji, in pages.
    assertThat(reactors(ann.get(0), g, msg, "").getReactorsList())
        .extracting(GetReactorsResponse.Reactor::getUserId, GetReactorsResponse.Reactor::getEmoji)
        .containsExactlyInAnyOrder(
            tuple(ben.get(0).userId(), "👍"),
            tuple(ben.get(0).userId(), "❤"),
            tuple(cat.userId(), "👍"));
    assertThat(reactors(ann.get(0), g, msg, "👍").getReactorsList())
        .extracting(GetReactorsResponse.Reactor::getUserId)
        .containsExactly(ben.get(0).userId(), cat.userId());
    GetReactorsResponse page1 =
        Futures.await(ann.get(0).connection.getReactors(g, msg, "👍", "", 1));
    assertThat(page1.getNextCursor()).isNotEmpty();
    GetReactorsResponse page2 =
        Futures.await(ann.get(0).connection.getReactors(g, msg, "👍", page1.getNextCursor(), 1));
    assertThat(page2.getReactorsList())
        .extracting(GetReactorsResponse.Reactor::getUserId)
        .containsExactly(cat.userId());
    assertThat(page2.getNextCursor()).isEmpty();

    // Changing the set: ben keeps ❤ only; the same set again writes nothing.
    long change = react(ben.get(0), g, msg, "❤");
    assertThat(awaitStored(ann.get(0), g, change).getReaction().getReactionsList())
        .containsExactly(count("❤", 1, false), count("👍", 1, false));
    assertThat(Futures.await(ben.get(0).messenger.react(g, msg, "❤")).getSeq()).isZero();
    // Removing all of them.
    var removed = Futures.await(cat.messenger.react(g, msg));
    assertThat(removed.getReactionsList()).containsExactly(count("❤", 1, false));
    assertThat(fromHistory(cat, g, msg).getReactionsList()).containsExactly(count("❤", 1, false));
    ConversationLogs.checkInvariants(g, ben.get(0).history(g));
  }

  @Test
  void inADirectChat_theOtherSidesDevicesGetTheReactionLiveAndThroughTheFeed() {
    List<Device> ann = users.user("ann", 2);
    Device ben = users.user("ben", 1).get(0);
    long direct =
        Futures.await(ann.get(0).messenger.sendText(Recipient.user(ben.userId()), "hi"))
            .getConversationId();
    long msg = send(ann.get(0), direct, "Are you coming?");
    awaitStored(ann.get(1), direct, msg);
    ann.get(1).disconnect();
    long reaction = react(ben, direct, msg, "🎉");
    assertThat(awaitStored(ann.get(0), direct, reaction).getReaction().getEmojiList())
        .containsExactly("🎉");
    ann.get(1).connect();
    awaitStored(ann.get(1), direct, reaction);
    assertThat(stored(ann.get(1), direct, msg).orElseThrow().getReactionsList())
        .containsExactly(count("🎉", 1, false));
    assertThat(fromHistory(ben, direct, msg).getReactionsList())
        .containsExactly(count("🎉", 1, true));
    ConversationLogs.checkInvariants(direct, ben.history(direct));
  }

  @Test
  void reactionsAreRefused_outsideTheAllowedSet_pastTheLimits_onRecalledAndServiceEntries() {
    Device ann = users.user("ann", 1).get(0);
    Device ben = users.user("ben", 1).get(0);
    Device cat = users.user("cat", 1).get(0);
    Device dan = users.user("dan", 1).get(0); // not a member
    long g = group(ann, ben, cat);
    long msg = send(ann, g, "Vote");

    assertThat(reasonOf(() -> react(ben, g, msg, "🦖")))
        .isEqualTo(Reason.REACTION_NOT_ALLOWED); // not in the default set
    assertThat(reasonOf(() -> react(ben, g, msg, "👍👍"))).isEqualTo(Reason.REACTION_NOT_ALLOWED);
    assertThat(reasonOf(() -> react(ben, g, msg, "👍", "👎", "🔥", "🎉")))
        .isEqualTo(Reason.TOO_MANY_REACTIONS); // max-per-user 3
    // max-distinct 4 (this node): three from ben and one from cat fill it; a fifth is refused,
    // an emoji already on the message is not.
    react(ben, g, msg, "👍", "👎", "🔥");
    react(cat, g, msg, "🎉");
    assertThat(reasonOf(() -> react(ann, g, msg, "💯"))).isEqualTo(Reason.TOO_MANY_REACTIONS);
    react(ann, g, msg, "👍", "🎉");
    assertThat(fromHistory(ann, g, msg).getReactionsList())
        .containsExactly(
            count("👍", 2, true),
            count("👎", 1, false),
            count("🔥", 1, false),
            count("🎉", 2, true));

    assertThat(reasonOf(() -> react(dan, g, msg, "👍"))).isEqualTo(Reason.NOT_FOUND);
    assertThat(reasonOf(() -> react(ben, g, 1, "👍"))) // GROUP_CREATED is no message
        .isEqualTo(Reason.INVALID_ARGUMENT);

    // A recall removes the message's reactions and refuses new ones.
    Futures.await(ann.connection.recallMessage(g, msg));
    assertThat(reasonOf(() -> react(ben, g, msg, "👍"))).isEqualTo(Reason.MESSAGE_RECALLED);
    assertThat(fromHistory(ben, g, msg).getReactionsList()).isEmpty();
    assertThat(reactors(ben, g, msg, "").getReactorsList()).isEmpty();
    ConversationLogs.checkInvariants(g, ben.history(g));
  }

  @Test
  void theCliSetsReactionsAndListsReactors(@TempDir Path home) {
    ParleyClient json = node.client(Encoding.JSON);
    String annEmail = DevCodes.uniqueEmail("ann");
    Device ann = Device.online(json, codes.register(json, annEmail, "ann", "ann-0"));
    users.track(ann);
    Device ben = users.user("ben", 1).get(0);
    long g = group(ann, ben);
    long msg = send(ben, g, "Ship it?");
    Map<String, String> env = Map.of("PARLEY_CLI_HOME", home.toString());
    cli(
        env,
        "login",
        annEmail,
        "--password",
        Users.PASSWORD,
        "--server",
        node.baseUri().toString());
    assertThat(cli(env, "react", String.valueOf(g), String.valueOf(msg), "👍", "🔥"))
        .startsWith(String.format("#%d: 👍 1 (you), 🔥 1 (you) (reaction entry #", msg));
    assertThat(cli(env, "reactors", String.valueOf(g), String.valueOf(msg), "--emoji", "🔥"))
        .isEqualTo(String.format("🔥 %d", ann.userId()));
    // The sender's device got the entry.
    assertThat(awaitStored(ben, g, msg + 1).getReaction().getEmojiList())
        .containsExactly("👍", "🔥");
    assertThat(cli(env, "react", String.valueOf(g), String.valueOf(msg)))
        .isEqualTo(String.format("#%d: no reactions (reaction entry #%d)", msg, msg + 2));
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

  @Test
  void reactionsOfARemovedMemberDisappearFromTheCounts() {
    Device ann = users.user("ann", 1).get(0);
    Device ben = users.user("ben", 1).get(0);
    Device cat = users.user("cat", 1).get(0);
    long g = group(ann, ben, cat);
    long msg = send(ann, g, "Who is in?");
    react(ben, g, msg, "👍", "🔥");
    react(cat, g, msg, "👍");
    assertThat(fromHistory(ann, g, msg).getReactionsList())
        .containsExactly(count("👍", 2, false), count("🔥", 1, false));

    Futures.await(ann.connection.removeMember(g, ben.userId()));
    assertThat(fromHistory(ann, g, msg).getReactionsList()).containsExactly(count("👍", 1, false));
    assertThat(reactors(cat, g, msg, "").getReactorsList())
        .extracting(GetReactorsResponse.Reactor::getUserId)
        .containsExactly(cat.userId());
    // The former member can no longer react.
    assertThat(reasonOf(() -> react(ben, g, msg, "👍"))).isEqualTo(Reason.CONVERSATION_CLOSED);
    ConversationLogs.checkInvariants(g, cat.history(g));
  }
}
