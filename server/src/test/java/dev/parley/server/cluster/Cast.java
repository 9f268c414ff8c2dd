package dev.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.AuthApi;
import dev.parley.client.Credentials;
import dev.parley.client.Encoding;
import dev.parley.client.Futures;
import dev.parley.client.ParleyClient;
import dev.parley.proto.client.DeviceInfo;
import dev.parley.proto.client.LoginRequest;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.Platform;
import dev.parley.proto.client.RegisterRequest;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.SendMessageResponse;
import dev.parley.proto.client.TextContent;
import dev.parley.server.audit.LedgerAudit;
import dev.parley.server.audit.SendLedger;
import dev.parley.server.audit.SendLedger.Attempt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The people of one scenario: users a, b and c with two devices each, spread over the two gateways
 * so that every user has a device on each — a1, b2, c1 prefer gateway 1 (and speak protobuf), a2,
 * b1, c2 gateway 2 (JSON), and each falls back to the other — and three conversations: the group
 * (a, b, c), the direct chat a–b and the direct chat b–c. Every message of a scenario goes into one
 * {@link SendLedger}, the first messages of the direct chats included, so that every user entry of
 * every log is one the ledger knows.
 */
final class Cast implements AutoCloseable {
  static final String PASSWORD = "correct horse battery";
  private static final AtomicInteger counter = new AtomicInteger();

  final ClusterHarness cluster;
  final SendLedger ledger = new SendLedger();
  final Map<String, ClusterDevice> devices = new LinkedHashMap<>();

  /** User ("a", "b", "c") → the e-mail address of the account. */
  final Map<String, String> emails = new HashMap<>();

  final long a;
  final long b;
  final long c;
  final long group;
  final long ab;
  final long bc;
  private final List<ParleyClient> clients = new ArrayList<>();

  /** The last answer for each client_msg_id, resends included. */
  private final Map<String, SendMessageResponse> answers = new HashMap<>();

  Cast(ClusterHarness cluster, String scenario) {
    this.cluster = cluster;
    ParleyClient viaGateway1 = client(cluster, 1, Encoding.PROTOBUF);
    ParleyClient viaGateway2 = client(cluster, 2, Encoding.JSON);
    clients.add(viaGateway1);
    clients.add(viaGateway2);
    Path codes = cluster.userDataDir().resolve("dev-codes.log");
    for (String user : List.of("a", "b", "c")) {
      ParleyClient first = user.equals("b") ? viaGateway2 : viaGateway1;
      ParleyClient second = user.equals("b") ? viaGateway1 : viaGateway2;
      String email =
          scenario
              + "-"
              + user
              + "-"
              + counter.incrementAndGet()
              + "-"
              + System.nanoTime()
              + "@example.com";
      emails.put(user, email);
      Credentials one = register(first, codes, email, user.toUpperCase());
      Credentials two =
          second
              .auth()
              .login(
                  LoginRequest.newBuilder()
                      .setIdentifier(AuthApi.email(email))
                      .setPassword(PASSWORD)
                      .setDevice(device(user + "2", Platform.PLATFORM_ANDROID))
                      .build());
      devices.put(user + "1", ClusterDevice.online(first, scenario + "-" + user + "1", one));
      devices.put(user + "2", ClusterDevice.online(second, scenario + "-" + user + "2", two));
    }
    a = device("a1").userId();
    b = device("b1").userId();
    c = device("c1").userId();
    group =
        Futures.await(device("a1").connection.createGroup(scenario, List.of(b, c)))
            .getConversation()
            .getConversationId();
    ab = firstDirectMessage(device("a1"), b);
    bc = firstDirectMessage(device("b1"), c);
  }

  /** A client that prefers gateway {@code preferred} and falls back to the other one. */
  static ParleyClient client(ClusterHarness cluster, int preferred, Encoding encoding) {
    URI first = cluster.gateway(preferred);
    URI other = cluster.gateway(3 - preferred);
    return ParleyClient.builder(first)
        .fallback(other)
        .encoding(encoding)
        .requestTimeout(Duration.ofSeconds(5))
        .connectTimeout(Duration.ofSeconds(2))
        .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(1000))
        .pingInterval(Duration.ofSeconds(5))
        .build();
  }

  ClusterDevice device(String name) {
    return devices.get(name);
  }

  List<ClusterDevice> all() {
    return List.copyOf(devices.values());
  }

  /** The devices that prefer gateway {@code i}. */
  List<ClusterDevice> preferring(int i) {
    return i == 1
        ? List.of(device("a1"), device("b2"), device("c1"))
        : List.of(device("a2"), device("b1"), device("c2"));
  }

  Set<Long> conversationsOf(long user) {
    if (user == a) return Set.of(group, ab);
    if (user == b) return Set.of(group, ab, bc);
    return Set.of(group, bc);
  }

  /** Device 1 of every user sends into each of its conversations (raw: no retries). */
  List<SendStorm.Lane> rawLanes(String round) {
    return List.of(
        SendStorm.Lane.raw(round + "-a-g", device("a1"), group),
        SendStorm.Lane.raw(round + "-a-ab", device("a1"), ab),
        SendStorm.Lane.raw(round + "-b-g", device("b1"), group),
        SendStorm.Lane.raw(round + "-b-bc", device("b1"), bc),
        SendStorm.Lane.raw(round + "-c-g", device("c1"), group),
        SendStorm.Lane.raw(round + "-c-bc", device("c1"), bc));
  }

  /**
   * Two devices send through the SDK's outbox (retries with the same client_msg_id): b2 (prefers
   * gateway 1) into the group, c2 (prefers gateway 2) into b–c.
   */
  List<SendStorm.Lane> sdkLanes(String round) {
    return List.of(
        SendStorm.Lane.sdk(round + "-b2-g", device("b2"), group),
        SendStorm.Lane.sdk(round + "-c2-bc", device("c2"), bc));
  }

  /** Raw and SDK lanes together. */
  List<SendStorm.Lane> lanes(String round) {
    List<SendStorm.Lane> all = new ArrayList<>(rawLanes(round));
    all.addAll(sdkLanes(round));
    return all;
  }

  /** A member's connection per conversation, to read logs. */
  Map<Long, dev.parley.client.Connection> readers() {
    return Map.of(
        group, device("a1").connection, ab, device("a1").connection, bc, device("b1").connection);
  }

  /** A connection of each user, to resend their messages. */
  Map<Long, dev.parley.client.Connection> senders() {
    return Map.of(
        a, device("a1").connection, b, device("b1").connection, c, device("c1").connection);
  }

  /**
   * One acknowledged message per conversation (in the ledger), so that every member's feed moves.
   */
  void probe(String round) {
    for (long conv : List.of(group, ab, bc)) probe(round, conv);
  }

  /** One acknowledged message into {@code conv} (in the ledger), through the SDK of a2 or c2. */
  SendMessageResponse probe(String round, long conv) {
    ClusterDevice from = conv == bc ? device("c2") : device("a2");
    String id = round + "-probe-" + conv + "-" + counter.incrementAndGet();
    String text = "probe " + id;
    Attempt x = ledger.begin(id, conv, from.userId(), text, true);
    SendMessageResponse r =
        Futures.await(
            from.messenger.send(
                SendMessageRequest.newBuilder()
                    .setConversationId(conv)
                    .setText(TextContent.newBuilder().setText(text)),
                id));
    ledger.acked(x, r);
    return r;
  }

  /**
   * What {@link #settle} found: the server's logs after settling, and what the failures had left.
   */
  record Settled(LedgerAudit.Logs truth, long unanswered, long unansweredStored) {}

  /**
   * What the failures left behind, then settled: every acknowledged send is stored once where its
   * answer said; resending every attempt of the ledger with its client_msg_id answers with the
   * stored original or stores it once now (two concurrent resends for an unanswered one);
   * afterwards every attempt is in its log exactly once.
   */
  Settled settle() {
    List<Attempt> all = ledger.all();
    assertThat(all)
        .as("sends answered with a definite error")
        .noneMatch(x -> ledger.outcome(x) instanceof SendLedger.Outcome.Rejected);
    for (Attempt x : ledger.with(SendLedger.Outcome.Acked.class)) {
      SendLedger.Outcome.Acked ack = (SendLedger.Outcome.Acked) ledger.outcome(x);
      answers.putIfAbsent(
          x.clientMsgId(),
          SendMessageResponse.newBuilder()
              .setConversationId(x.conversationId())
              .setSeq(ack.seq())
              .setMessageId(ack.messageId())
              .setDuplicate(ack.duplicate())
              .build());
    }
    Map<Long, Map<String, Message>> stored =
        LedgerAudit.readLogs(readers(), ledger).byClientMsgId();
    LedgerAudit.assertAcknowledgedKept(ledger, stored);
    List<Attempt> unanswered = ledger.with(SendLedger.Outcome.NoAnswer.class);
    long unansweredStored =
        unanswered.stream()
            .filter(x -> stored.get(x.conversationId()).containsKey(x.clientMsgId()))
            .count();
    answers.putAll(LedgerAudit.resendEach(all, ledger, stored, senders()));
    LedgerAudit.Logs truth = LedgerAudit.readLogs(readers(), ledger);
    LedgerAudit.assertEachSendOnceAsAnswered(ledger, answers, truth);
    return new Settled(truth, unanswered.size(), unansweredStored);
  }

  /**
   * Every device holds exactly the server's logs of its conversations, and onMessage announced each
   * entry once, in seq order; its pts reaches its feed's head.
   */
  void assertConverged(Map<Long, List<Message>> logs, Duration timeout) {
    for (ClusterDevice d : all()) {
      Map<Long, List<Message>> mine = new HashMap<>();
      conversationsOf(d.userId()).forEach(conv -> mine.put(conv, logs.get(conv)));
      d.awaitExactly(mine, timeout);
      mine.forEach(d::assertAnnouncedOnceInOrder);
      assertThat(d.announcedMoreThanOnce()).as("%s: entries announced twice", d.name).isEmpty();
      long head = Futures.await(d.connection.getState()).getPts();
      d.messenger.awaitPts(head, timeout);
    }
  }

  /** Waits until presence places these devices (by name) on these gateways. */
  void awaitPresence(Map<String, String> expected) {
    await("presence " + expected)
        .atMost(ClusterHarness.PRESENCE_TTL.plus(ClusterHarness.PRESENCE_REFRESH).plusSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertThat(presence()).containsAllEntriesOf(expected));
  }

  /** Where each device's session is according to presence (device name → gateway id, or "-"). */
  Map<String, String> presence() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, ClusterDevice> d : devices.entrySet()) {
      out.put(
          d.getKey(),
          cluster.presence(d.getValue().userId()).getOrDefault(d.getValue().sessionId(), "-"));
    }
    return out;
  }

  private long firstDirectMessage(ClusterDevice from, long to) {
    String id = "setup-" + from.userId() + "-" + to;
    String text = "first message from " + from.userId() + " to " + to;
    SendMessageResponse r =
        Futures.await(
            from.messenger.send(
                SendMessageRequest.newBuilder()
                    .setUserId(to)
                    .setText(TextContent.newBuilder().setText(text)),
                id));
    ledger.acked(ledger.begin(id, r.getConversationId(), from.userId(), text, true), r);
    return r.getConversationId();
  }

  private static Credentials register(ParleyClient client, Path codes, String email, String name) {
    client.auth().requestCode(AuthApi.email(email));
    String[] code = new String[1];
    await("verification code for " + email)
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              Optional<String> found = codeFor(codes, email);
              found.ifPresent(v -> code[0] = v);
              return found.isPresent();
            });
    return client
        .auth()
        .register(
            RegisterRequest.newBuilder()
                .setIdentifier(AuthApi.email(email))
                .setCode(code[0])
                .setPassword(PASSWORD)
                .setDisplayName(name)
                .setDevice(device(name.toLowerCase() + "1", Platform.PLATFORM_DESKTOP))
                .build());
  }

  /** The newest code the development sink wrote for {@code email} ("identifier code" lines). */
  private static Optional<String> codeFor(Path file, String email) {
    if (!Files.exists(file)) return Optional.empty();
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (int i = lines.size() - 1; i >= 0; i--) {
      String[] parts = lines.get(i).split(" ");
      if (parts.length == 2 && parts[0].equals(email)) return Optional.of(parts[1]);
    }
    return Optional.empty();
  }

  private static DeviceInfo device(String id, Platform platform) {
    return DeviceInfo.newBuilder()
        .setDeviceId(id)
        .setPlatform(platform)
        .setName(id + " device")
        .build();
  }

  @Override
  public void close() {
    devices.values().forEach(ClusterDevice::close);
    clients.forEach(ParleyClient::close);
  }
}
