package dev.parley.server.e2e;

import static dev.parley.server.e2e.TestUsers.group;
import static dev.parley.server.e2e.TestUsers.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.cli.CliCommand;
import dev.parley.client.ClientException;
import dev.parley.client.Credentials;
import dev.parley.client.Encoding;
import dev.parley.client.Futures;
import dev.parley.client.ParleyClient;
import dev.parley.client.Recipient;
import dev.parley.proto.client.Audience;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.FileContent;
import dev.parley.proto.client.FileInfo;
import dev.parley.proto.client.ForwardMessagesResponse;
import dev.parley.proto.client.ForwardResult;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.Platform;
import dev.parley.proto.client.SetPrivacyRequest;
import dev.parley.server.audit.ConversationLogs;
import dev.parley.testkit.PostgresExtension;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
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
 * Issue 12 item 2 (forwards, design.md 13.1) end to end over the WebSocket protocol on one node
 * that allows one-to-one chat between friends only: copies reach every device of every member of
 * each target live and after an offline sync, carry their origin, re-use files, are idempotent, and
 * follow the source's visibility and the target's rules.
 */
class ForwardsIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();

  static TestNode node;
  static DevCodes codes;
  @TempDir static Path cliHome;
  final List<Device> devices = new ArrayList<>();
  final Map<Long, String> emails = new java.util.HashMap<>();

  @BeforeAll
  static void start() {
    node = TestNode.start(postgres, Map.of("msg.direct-chat", "friends"));
    codes = new DevCodes(node.dataDir);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @AfterEach
  void closeDevices() {
    devices.forEach(Device::close);
  }

  private List<Device> user(String name, int n) {
    ParleyClient json = node.client(Encoding.JSON);
    ParleyClient proto = node.client(Encoding.PROTOBUF);
    String email = DevCodes.uniqueEmail(name);
    List<Device> mine = new ArrayList<>();
    Credentials first = codes.register(json, email, name, name + "-0");
    mine.add(Device.online(json, first));
    for (int i = 1; i < n; i++)
      mine.add(
          Device.online(
              proto, Users.login(proto, email, name + "-" + i, Platform.PLATFORM_ANDROID)));
    emails.put(first.userId(), email);
    devices.addAll(mine);
    return mine;
  }

  private static void befriend(Device a, Device b) {
    Futures.await(a.connection.sendFriendRequest(b.userId(), ""));
    Futures.await(b.connection.acceptFriendRequest(a.userId()));
  }

  /** The one-to-one conversation of two friends, made by a first message. */
  private static long direct(Device from, Device to) {
    return Futures.await(from.messenger.sendText(Recipient.user(to.userId()), "hello"))
        .getConversationId();
  }

  private static ForwardMessagesResponse forward(
      Device d, long from, List<Long> seqs, List<Long> to, String clientMsgId) {
    return Futures.await(d.connection.forwardMessages(from, seqs, to, clientMsgId));
  }

  private static Message awaitStored(Device d, long conversation, long seq) {
    d.messenger.awaitCondition(() -> stored(d, conversation, seq).isPresent(), Device.WAIT);
    return stored(d, conversation, seq).orElseThrow();
  }

  private static Optional<Message> stored(Device d, long conversation, long seq) {
    return d.store.messages(conversation).stream().filter(m -> m.getSeq() == seq).findFirst();
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

  @Test
  void copiesReachEveryDeviceLiveAndAfterSync_withTheirOrigin_reusingFiles_once() {
    List<Device> ann = user("ann", 1);
    List<Device> ben = user("ben", 2);
    List<Device> cat = user("cat", 2);
    long source = group(ann.get(0), ben.get(0));
    long text = send(ann.get(0), source, "The rope is in the shed");
    byte[] bytes = "knots\n".getBytes(StandardCharsets.UTF_8);
    FileInfo upload = FileTransfers.upload(ann.get(0).connection, bytes, "text/plain", "k.txt");
    Message sentFile =
        ann.get(0)
            .messenger
            .awaitMessage(
                source,
                Futures.await(
                        ann.get(0)
                            .messenger
                            .sendFile(
                                Recipient.conversation(source),
                                FileContent.newBuilder()
                                    .setFileId(upload.getFileId())
                                    .setCaption("how to")
                                    .build()))
                    .getSeq(),
                Device.WAIT);
    Message original = awaitStored(ben.get(0), source, text);

    long targetGroup = group(ben.get(0), cat.get(0));
    befriend(ben.get(0), cat.get(0));
    long targetDirect = direct(ben.get(0), cat.get(0));
    awaitStored(cat.get(1), targetDirect, 1);
    cat.get(1).disconnect(); // offline across the forward

    // Listed out of order: copied in log order.
    List<Long> seqs = List.of(sentFile.getSeq(), text);
    ForwardMessagesResponse answer =
        forward(ben.get(1), source, seqs, List.of(targetGroup, targetDirect), "fwd-1");
    assertThat(answer.getResultsList())
        .extracting(ForwardResult::getConversationId)
        .containsExactly(targetGroup, targetDirect);
    for (ForwardResult r : answer.getResultsList()) {
      assertThat(r.hasError()).isFalse();
      assertThat(r.getDuplicate()).isFalse();
      assertThat(r.getSeqsCount()).isEqualTo(2);
    }

    // Live to every connected device of both users, then to cat's other device after its sync.
    List<Device> watchers = List.of(ben.get(0), ben.get(1), cat.get(0));
    for (Device d : watchers) checkCopies(d, answer, original, sentFile, source, upload);
    cat.get(1).connect();
    checkCopies(cat.get(1), answer, original, sentFile, source, upload);

    // The file is re-used, not copied, and cat (never in the source group) may now download it.
    assertThat(FileTransfers.download(cat.get(0).connection, upload.getFileId())).isEqualTo(bytes);

    // A retry after a lost answer stores nothing new.
    ForwardMessagesResponse again =
        forward(ben.get(0), source, seqs, List.of(targetGroup, targetDirect), "fwd-1");
    assertThat(again.getResultsList())
        .allSatisfy(r -> assertThat(r.getDuplicate()).isTrue())
        .extracting(ForwardResult::getSeqsList)
        .isEqualTo(answer.getResultsList().stream().map(ForwardResult::getSeqsList).toList());
    long copies =
        cat.get(0).history(targetGroup).stream().filter(Message::hasForwardedFrom).count();
    assertThat(copies).isEqualTo(2);

    // A forward of a forward names the first original.
    long copyOfText = answer.getResults(0).getSeqs(1);
    ForwardResult second =
        forward(cat.get(0), targetGroup, List.of(copyOfText), List.of(targetDirect), "fwd-2")
            .getResults(0);
    Message twice = awaitStored(ben.get(0), targetDirect, second.getSeqs(0));
    assertThat(twice.getSenderId()).isEqualTo(cat.get(0).userId());
    assertThat(twice.getForwardedFrom().getSenderId()).isEqualTo(ann.get(0).userId());
    assertThat(twice.getForwardedFrom().getGroupId()).isEqualTo(source);
    ConversationLogs.checkInvariants(targetGroup, cat.get(0).history(targetGroup));
    ConversationLogs.checkInvariants(targetDirect, cat.get(0).history(targetDirect));
  }

  private static void checkCopies(
      Device d,
      ForwardMessagesResponse answer,
      Message text,
      Message file,
      long source,
      FileInfo upload) {
    for (ForwardResult r : answer.getResultsList()) {
      Message t = awaitStored(d, r.getConversationId(), r.getSeqs(0));
      Message f = awaitStored(d, r.getConversationId(), r.getSeqs(1));
      assertThat(t.getText().getText()).isEqualTo(text.getText().getText());
      assertThat(t.getForwardedFrom().getSenderId()).isEqualTo(text.getSenderId());
      assertThat(t.getForwardedFrom().getGroupId()).isEqualTo(source);
      assertThat(t.getForwardedFrom().getSentAtMs()).isEqualTo(text.getSentAtMs());
      assertThat(f.getFile().getFileId()).isEqualTo(upload.getFileId());
      assertThat(f.getFile().getCaption()).isEqualTo("how to");
      assertThat(f.getFile().getSize()).isEqualTo(file.getFile().getSize());
      assertThat(f.getForwardedFrom().getSentAtMs()).isEqualTo(file.getSentAtMs());
    }
  }

  @Test
  void refusedForEntriesOutsideTheVisibleRange_recalledOnes_andServiceEntries() {
    Device ann = user("ann", 1).get(0);
    Device ben = user("ben", 1).get(0);
    Device dan = user("dan", 1).get(0);
    long source = group(ann, ben);
    long target = group(ben, dan);
    long early = send(ann, source, "before dan");
    long recalled = send(ann, source, "oops");
    Futures.await(ann.connection.recallMessage(source, recalled));

    assertThat(reasonOf(() -> forward(ben, source, List.of(1L), List.of(target), "s")))
        .isEqualTo(Reason.MESSAGE_NOT_FORWARDABLE); // GROUP_CREATED
    assertThat(reasonOf(() -> forward(ben, source, List.of(early, recalled), List.of(target), "r")))
        .isEqualTo(Reason.MESSAGE_RECALLED);
    // Nothing of a refused request is written, not even its forwardable part.
    assertThat(ben.history(target)).noneMatch(Message::hasForwardedFrom);

    // dan joins later: what came before is not his to forward.
    Futures.await(ann.connection.inviteMembers(source, List.of(dan.userId())));
    assertThat(reasonOf(() -> forward(dan, source, List.of(early), List.of(target), "d")))
        .isEqualTo(Reason.NOT_FOUND);

    // ben is removed: what he saw stays forwardable, what came after is not.
    Futures.await(ann.connection.removeMember(source, ben.userId()));
    long after = send(ann, source, "after ben");
    assertThat(reasonOf(() -> forward(ben, source, List.of(after), List.of(target), "a")))
        .isEqualTo(Reason.NOT_FOUND);
    assertThat(forward(ben, source, List.of(early), List.of(target), "b").getResults(0).hasError())
        .isFalse();

    assertThat(reasonOf(() -> forward(ben, source, List.of(early, early), List.of(target), "x")))
        .isEqualTo(Reason.INVALID_ARGUMENT);
  }

  @Test
  void theOriginalSendersForwardsSettingHidesThem_decidedAgainstTheForwarderWhenCopied() {
    Device ann = user("ann", 1).get(0);
    Device ben = user("ben", 1).get(0);
    Device cat = user("cat", 1).get(0);
    befriend(ann, ben);
    long source = group(ann, ben, cat);
    long out = group(ben, cat);
    long text = send(ann, source, "only my friends may know this is mine");
    Futures.await(
        ann.connection.setPrivacy(
            SetPrivacyRequest.newBuilder().setForwards(Audience.AUDIENCE_CONTACTS).build()));

    // A friend's copy names ann; a stranger's names no one, keeping the group and the time.
    long byFriend =
        forward(ben, source, List.of(text), List.of(out), "p-1").getResults(0).getSeqs(0);
    long byStranger =
        forward(cat, source, List.of(text), List.of(out), "p-2").getResults(0).getSeqs(0);
    Message friendCopy = awaitStored(cat, out, byFriend);
    Message strangerCopy = awaitStored(ben, out, byStranger);
    Message original = awaitStored(ben, source, text);
    assertThat(friendCopy.getForwardedFrom().getSenderId()).isEqualTo(ann.userId());
    assertThat(strangerCopy.getForwardedFrom().getSenderId()).isZero();
    assertThat(strangerCopy.getForwardedFrom().getGroupId()).isEqualTo(source);
    assertThat(strangerCopy.getForwardedFrom().getSentAtMs()).isEqualTo(original.getSentAtMs());

    // Hiding from everyone: even the friend's new copy names no one, but ann's own forward names
    // her, and a copy made before the change keeps what was decided then (history after sync too).
    Futures.await(
        ann.connection.setPrivacy(
            SetPrivacyRequest.newBuilder().setForwards(Audience.AUDIENCE_NOBODY).build()));
    long afterChange =
        forward(ben, source, List.of(text), List.of(out), "p-3").getResults(0).getSeqs(0);
    assertThat(awaitStored(cat, out, afterChange).getForwardedFrom().getSenderId()).isZero();
    long own = group(ann, ben);
    long ownCopy =
        forward(ann, source, List.of(text), List.of(own), "p-4").getResults(0).getSeqs(0);
    assertThat(awaitStored(ben, own, ownCopy).getForwardedFrom().getSenderId())
        .isEqualTo(ann.userId());
    assertThat(cat.history(out))
        .filteredOn(m -> m.getSeq() == byFriend)
        .singleElement()
        .satisfies(m -> assertThat(m.getForwardedFrom().getSenderId()).isEqualTo(ann.userId()));

    // A forward of a hidden copy stays hidden: the first origin is kept, with its hiding.
    long again =
        forward(ben, out, List.of(byStranger), List.of(own), "p-5").getResults(0).getSeqs(0);
    assertThat(awaitStored(ann, own, again).getForwardedFrom().getSenderId()).isZero();
  }

  @Test
  void eachTargetAppliesItsOwnRules_blocksFriendsAndMembership() {
    Device ann = user("ann", 1).get(0);
    Device ben = user("ben", 1).get(0);
    Device cat = user("cat", 1).get(0);
    Device eve = user("eve", 1).get(0);
    long source = group(ann, ben);
    long text = send(ann, source, "pass it on");
    befriend(ben, cat);
    befriend(ben, eve);
    long withCat = direct(ben, cat);
    long withEve = direct(ben, eve);
    long foreign = group(ann, cat); // ben is no member
    long own = group(ben, cat);
    Futures.await(cat.connection.blockUser(ben.userId()));
    Futures.await(eve.connection.deleteFriend(ben.userId()));

    ForwardMessagesResponse answer =
        forward(ben, source, List.of(text), List.of(withCat, withEve, foreign, own), "t");
    assertThat(answer.getResultsList())
        .extracting(r -> r.getError().getReason())
        .containsExactly(
            Reason.BLOCKED, Reason.NOT_FRIENDS, Reason.NOT_FOUND, Reason.REASON_UNSPECIFIED);
    assertThat(answer.getResults(3).getSeqsCount()).isEqualTo(1);
  }

  @Test
  void theCliForwardsAndPrintsOneLinePerTarget() {
    Device ann = user("ann", 1).get(0);
    Device ben = user("ben", 1).get(0);
    long source = group(ann, ben);
    long text = send(ann, source, "from the cli");
    long target = group(ann, ben);
    cli(
        "login",
        emails.get(ann.userId()),
        "--password",
        Users.PASSWORD,
        "--server",
        node.baseUri().toString());
    String out =
        cli(
            "forward",
            Long.toString(source),
            Long.toString(text),
            "--to",
            Long.toString(target),
            "--client-msg-id",
            "cli-1");
    assertThat(out).isEqualTo("chat " + target + ": #2\nclient_msg_id cli-1");
    Message copy = awaitStored(ben, target, 2);
    assertThat(copy.getForwardedFrom().getSenderId()).isEqualTo(ann.userId());
    assertThat(
            cli(
                "forward",
                Long.toString(source),
                Long.toString(text),
                "--to",
                Long.toString(target),
                "--client-msg-id",
                "cli-1"))
        .isEqualTo("chat " + target + ": #2 (already forwarded)\nclient_msg_id cli-1");
  }

  private static String cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine =
        new CommandLine(
            new CliCommand(
                Map.of("PARLEY_CLI_HOME", cliHome.toString()), InputStream.nullInputStream()));
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    assertThat(commandLine.execute(args)).as(err.toString()).isZero();
    return out.toString().strip();
  }
}
