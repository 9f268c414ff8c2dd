package dev.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.cli.CliCommand;
import dev.parley.client.Connection;
import dev.parley.client.Credentials;
import dev.parley.client.Encoding;
import dev.parley.client.Futures;
import dev.parley.client.ParleyClient;
import dev.parley.proto.client.ChatState;
import dev.parley.proto.client.GetNotifySettingsResponse;
import dev.parley.proto.client.PreviewMode;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code cli mute|unmute|previews|notify} and {@code pin|pins|archive|unread|draft} against a real
 * single node; the user's other device (an SDK connection) sees what the CLI set.
 */
class CliNotifyIT {
  @RegisterExtension
  static final dev.parley.testkit.PostgresExtension postgres =
      new dev.parley.testkit.PostgresExtension();

  static TestNode node;
  static Connection aliceSdk;
  static long groupId;

  @TempDir static Path home;

  record Run(int exitCode, String out, String err) {}

  static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine =
        new CommandLine(
            new CliCommand(
                Map.of("PARLEY_CLI_HOME", home.toString()), InputStream.nullInputStream()));
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return new Run(commandLine.execute(args), out.toString(), err.toString());
  }

  static String ok(String... args) {
    Run run = cli(args);
    assertThat(run.exitCode()).as(run.err()).isZero();
    return run.out().strip();
  }

  @BeforeAll
  static void start() {
    node = TestNode.start(postgres, Map.of());
    ParleyClient client = node.client(Encoding.JSON);
    DevCodes codes = new DevCodes(node.dataDir);
    String aliceEmail = DevCodes.uniqueEmail("alice");
    Credentials alice = codes.register(client, aliceEmail, "Alice", "a");
    Credentials bob = codes.register(client, DevCodes.uniqueEmail("bob"), "Bob", "b");
    aliceSdk = client.connect(alice);
    groupId =
        Futures.await(client.connect(bob).createGroup("ropes", List.of(alice.userId())))
            .getConversation()
            .getConversationId();
    ok("login", aliceEmail, "--password", Users.PASSWORD, "--server", node.baseUri().toString());
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static ChatState stateSeenByTheSdk() {
    return Futures.await(aliceSdk.getConversation(groupId)).getConversation().getChatState();
  }

  @Test
  void mutesForeverOrForAWhileAndUnmutes() {
    assertThat(ok("mute", Long.toString(groupId)))
        .isEqualTo("chat " + groupId + ": muted forever, previews as the global setting");
    assertThat(stateSeenByTheSdk().getMutedForever()).isTrue();

    long before = Instant.now().toEpochMilli();
    String timed = ok("mute", Long.toString(groupId), "--for", "8h");
    long after = Instant.now().toEpochMilli();
    assertThat(timed).startsWith("chat " + groupId + ": muted until ");
    ChatState state = stateSeenByTheSdk();
    assertThat(state.getMutedForever()).isFalse();
    long eightHours = Duration.ofHours(8).toMillis();
    assertThat(state.getMutedUntilMs()).isBetween(before + eightHours, after + eightHours);
    assertThat(timed)
        .endsWith(
            Instant.ofEpochMilli(state.getMutedUntilMs()) + ", previews as the global setting");

    assertThat(ok("unmute", Long.toString(groupId)))
        .isEqualTo("chat " + groupId + ": not muted, previews as the global setting");
    assertThat(stateSeenByTheSdk().getMutedForever()).isFalse();
    assertThat(stateSeenByTheSdk().getMutedUntilMs()).isZero();

    Run tooLong = cli("mute", Long.toString(groupId), "--for", "400d");
    assertThat(tooLong.exitCode()).isNotZero();
    assertThat(tooLong.err()).contains("366 days");
    Run badDuration = cli("mute", Long.toString(groupId), "--for", "soon");
    assertThat(badDuration.exitCode()).isNotZero();
    assertThat(badDuration.err()).contains("not a duration");
  }

  @Test
  void previewExceptionsPerConversation() {
    assertThat(ok("previews", Long.toString(groupId), "hide"))
        .endsWith(": not muted, previews hidden");
    assertThat(stateSeenByTheSdk().getPreviews()).isEqualTo(PreviewMode.PREVIEW_MODE_HIDE);
    assertThat(ok("previews", Long.toString(groupId), "default"))
        .endsWith(", previews as the global setting");
    assertThat(stateSeenByTheSdk().getPreviews()).isEqualTo(PreviewMode.PREVIEW_MODE_DEFAULT);
    assertThat(cli("previews", Long.toString(groupId), "loud").exitCode()).isNotZero();
  }

  @Test
  void globalSettingsAreShownAndChanged() throws Exception {
    assertThat(ok("notify")).isEqualTo("previews on, mentions in muted chats on");
    assertThat(ok("notify", "--previews", "off"))
        .isEqualTo("previews off, mentions in muted chats on");
    assertThat(ok("notify", "--mentions-in-muted", "off", "--previews", "on"))
        .isEqualTo("previews on, mentions in muted chats off");
    assertThat(Futures.await(aliceSdk.getNotifySettings()).getSettings().getShowPreviews())
        .isTrue();
    GetNotifySettingsResponse.Builder json = GetNotifySettingsResponse.newBuilder();
    Encoding.mergeJson(ok("notify", "--json"), json);
    assertThat(json.getSettings().getShowPreviews()).isTrue();
    assertThat(json.getSettings().getNotifyMentionsInMuted()).isFalse();
    ok("notify", "--mentions-in-muted", "on");
  }

  @Test
  void chatListStateFromTheCommandLine() {
    // A chat of its own, so the other cases' exact lines do not see its state.
    long chat =
        Futures.await(aliceSdk.createGroup("knots", List.of()))
            .getConversation()
            .getConversationId();
    String id = Long.toString(chat);
    String prefix = "chat " + chat + ": not muted, previews as the global setting";
    assertThat(ok("pin", id)).isEqualTo(prefix + ", pinned (rank 1)");
    assertThat(ok("archive", id)).isEqualTo(prefix + ", pinned (rank 1), archived");
    assertThat(ok("unread", id)).endsWith(", archived, marked unread");
    assertThat(ok("draft", id, "half a thought", "--reply-to", "1"))
        .endsWith(", marked unread, draft \"half a thought\" replying to 1");
    ChatState seen = Futures.await(aliceSdk.getConversation(chat)).getConversation().getChatState();
    assertThat(seen.getPinRank()).isEqualTo(1);
    assertThat(seen.getArchived()).isTrue();
    assertThat(seen.getMarkedUnread()).isTrue();
    assertThat(seen.getDraft().getText()).isEqualTo("half a thought");
    assertThat(ok("pins", id)).contains("pinned (rank 1)");

    Run mismatch = cli("pins", id, "999");
    assertThat(mismatch.exitCode()).isNotZero();
    assertThat(mismatch.err()).contains("PINNED_CHATS_MISMATCH");

    assertThat(ok("draft", id)).doesNotContain("draft");
    ok("unread", id, "--off");
    ok("archive", id, "--off");
    assertThat(ok("pin", id, "--off")).isEqualTo(prefix);
    assertThat(Futures.await(aliceSdk.getConversation(chat)).getConversation().hasChatState())
        .isFalse();
  }
}
