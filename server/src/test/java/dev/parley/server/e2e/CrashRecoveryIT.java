package dev.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.Connection;
import dev.parley.client.Connection.State;
import dev.parley.client.Credentials;
import dev.parley.client.Encoding;
import dev.parley.client.Futures;
import dev.parley.client.MemorySyncStore;
import dev.parley.client.ParleyClient;
import dev.parley.client.TokenStore;
import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.Platform;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.SendMessageResponse;
import dev.parley.proto.client.TextContent;
import dev.parley.server.e2e.SendLedger.Attempt;
import dev.parley.server.e2e.SendLedger.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MSG-5, MSG-6: kill -9 of the single node during a send storm loses no acknowledged message and
 * duplicates none (design.md 8.2, 8.4, 8.5).
 *
 * <p>Three users with two devices each share a group and two direct chats. Device 1 of each user sends
 * as fast as the server answers, without SDK retries, while device 2 of each user follows along with
 * the SDK's sync engine. Once some hundreds of sends are acknowledged the server JVM is SIGKILLed with
 * sends on the wire. After a restart on the same data directory (and port):
 *
 * <ul>
 *   <li>every log is gap-free and holds each client_msg_id at most once, and only messages we sent;
 *   <li>every acknowledged send is there once, at its seq, with its id, text and sender;
 *   <li>every unanswered send is there once or not at all, and resending its client_msg_id settles it:
 *       the original with {@code duplicate = true}, or one new copy; resending an acknowledged one
 *       answers with the original;
 *   <li>the devices that lived through the crash catch up to exactly the server's logs, each entry
 *       announced once in seq order; so do all six devices replaying their feed from pts 0 on an empty
 *       store, and all six rebuilt as new devices agree with the server's summaries.
 * </ul>
 */
class CrashRecoveryIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int ACKS_BEFORE_KILL = 500;
  private static final int WORKERS_PER_LANE = 2;

  @TempDir Path dataDir;
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeResources() throws Exception {
    Collections.reverse(resources);
    for (AutoCloseable r : resources) r.close();
    // A test that failed between kill -9 and the restart leaves the embedded PostgreSQL running.
    Optional<ProcessHandle> orphan = postgres();
    if (orphan.isPresent()) {
      orphan.get().destroy();
      orphan.get().onExit().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void kill9DuringSendStorm_losesNoAcknowledgedMessage_duplicatesNone_andEveryDeviceConverges() throws Exception {
    long t0 = System.nanoTime();
    int port = freePort();
    Map<String, String> env =
        Map.of("PARLEY_USER_PASSWORD_MEMORY_KIB", "1024", "PARLEY_USER_PASSWORD_ITERATIONS", "1",
            "PARLEY_GATEWAY_PORT", Integer.toString(port));
    ParleyClient proto = keep(client(port, Encoding.PROTOBUF));
    ParleyClient json = keep(client(port, Encoding.JSON));
    SendLedger ledger = new SendLedger();

    ServerProcess first = stopLater(ServerProcess.start(dataDir, env));
    first.awaitPort(Duration.ofSeconds(60));
    Map<String, Credentials> devices = registerUsers(proto, "a", "b", "c");
    long a = devices.get("a1").userId();
    long b = devices.get("b1").userId();
    long c = devices.get("c1").userId();

    // Device 2 of each user follows everything live, on a store that survives the crash.
    List<SyncDevice> survivors = new ArrayList<>();
    for (String name : List.of("a2", "b2", "c2")) {
      survivors.add(keep(SyncDevice.online(json, name, devices.get(name), new MemorySyncStore(), WAIT)));
    }
    Connection a1 = keep(connect(proto, devices.get("a1")));
    Connection b1 = keep(connect(proto, devices.get("b1")));
    Connection c1 = keep(connect(proto, devices.get("c1")));
    long group = Futures.await(a1.createGroup("crash test", List.of(b, c))).getConversation().getConversationId();
    long ab = firstDirectMessage(ledger, a1, a, b);
    long bc = firstDirectMessage(ledger, b1, b, c);
    Map<Long, Set<Long>> membership = Map.of(a, Set.of(group, ab), b, Set.of(group, ab, bc), c, Set.of(group, bc));
    long setUp = System.nanoTime();

    // The storm, and kill -9 in the middle of it.
    SendStorm storm =
        SendStorm.start(
            ledger,
            List.of(
                new SendStorm.Lane("a-g", a1, a, group), new SendStorm.Lane("a-ab", a1, a, ab),
                new SendStorm.Lane("b-g", b1, b, group), new SendStorm.Lane("b-ab", b1, b, ab),
                new SendStorm.Lane("b-bc", b1, b, bc),
                new SendStorm.Lane("c-g", c1, c, group), new SendStorm.Lane("c-bc", c1, c, bc)),
            WORKERS_PER_LANE,
            Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(2)).until(() -> ledger.ackedCount() >= ACKS_BEFORE_KILL);
    int onTheWire = ledger.pending();
    storm.stop();
    first.kill();
    long killed = System.nanoTime();
    storm.awaitFinished(WAIT);
    List<Attempt> acked = ledger.with(Outcome.Acked.class);
    List<Attempt> unanswered = ledger.with(Outcome.NoAnswer.class);
    assertThat(ledger.with(Outcome.Rejected.class)).as("sends the server refused during the storm").isEmpty();
    assertThat(unanswered).as("sends on the wire when the server was killed").isNotEmpty();
    for (Connection sender : List.of(a1, b1, c1)) sender.close();

    // Restart on the same data directory and port; the survivors reconnect by themselves.
    ServerProcess second = stopLater(ServerProcess.start(dataDir, env));
    assertThat(second.awaitPort(Duration.ofSeconds(60))).isEqualTo(port);
    long restarted = System.nanoTime();
    Map<Long, Connection> as =
        Map.of(a, keep(connect(proto, devices.get("a1"))), b, keep(connect(proto, devices.get("b1"))),
            c, keep(connect(proto, devices.get("c1"))));
    Map<Long, Connection> reader = Map.of(group, as.get(a), ab, as.get(a), bc, as.get(b));

    // 1. What the crash left behind.
    Map<Long, Map<String, Message>> stored = readLogs(reader, ledger).byClientMsgId();
    List<String> problems = new ArrayList<>();
    for (Attempt k : acked) {
      Outcome.Acked ack = (Outcome.Acked) ledger.outcome(k);
      Message m = stored.get(k.conversationId()).get(k.clientMsgId());
      if (m == null) {
        problems.add("LOST acknowledged " + k + " acked as seq " + ack.seq());
      } else if (m.getSeq() != ack.seq() || m.getMessageId() != ack.messageId() || ack.duplicate()) {
        problems.add("acknowledged " + k + " as " + ack + " but stored as " + ConversationLogs.key(m));
      }
    }
    assertThat(problems).as("acknowledged sends after kill -9").isEmpty();
    List<Attempt> storedUnanswered =
        unanswered.stream().filter(u -> stored.get(u.conversationId()).containsKey(u.clientMsgId())).toList();

    // 2. Resending settles every unanswered send, and repeats every acknowledged one.
    Map<String, SendMessageResponse> resent = resend(unanswered, as);
    for (Attempt u : unanswered) {
      SendMessageResponse r = resent.get(u.clientMsgId());
      Message earlier = stored.get(u.conversationId()).get(u.clientMsgId());
      String got = u.clientMsgId() + ": " + r;
      if (earlier != null) {
        if (!r.getDuplicate() || r.getSeq() != earlier.getSeq() || r.getMessageId() != earlier.getMessageId()) {
          problems.add("resent stored " + got + " but the original is " + ConversationLogs.key(earlier));
        }
      } else if (r.getDuplicate()) {
        problems.add("resent unstored " + got + " was answered as a duplicate");
      }
    }
    Map<String, SendMessageResponse> repeated = resend(acked, as);
    for (Attempt k : acked) {
      Outcome.Acked ack = (Outcome.Acked) ledger.outcome(k);
      SendMessageResponse r = repeated.get(k.clientMsgId());
      if (!r.getDuplicate() || r.getSeq() != ack.seq() || r.getMessageId() != ack.messageId()) {
        problems.add("repeated acknowledged " + k.clientMsgId() + " (" + ack + ") answered " + r);
      }
    }
    assertThat(problems).as("answers to resends after the restart").isEmpty();

    // 3. Afterwards every send exists exactly once, where its answer said.
    Logs truth = readLogs(reader, ledger);
    for (Attempt x : ledger.all()) {
      Message m = truth.byClientMsgId().get(x.conversationId()).get(x.clientMsgId());
      SendMessageResponse r = resent.containsKey(x.clientMsgId()) ? resent.get(x.clientMsgId()) : repeated.get(x.clientMsgId());
      if (m == null || m.getSeq() != r.getSeq() || m.getMessageId() != r.getMessageId()) {
        problems.add(x + " answered " + r + " but stored as " + (m == null ? "nothing" : ConversationLogs.key(m)));
      }
    }
    assertThat(problems).as("sends after settling").isEmpty();
    long userEntries = truth.byClientMsgId().values().stream().mapToLong(Map::size).sum();
    assertThat(userEntries).as("user entries in all logs").isEqualTo(ledger.all().size());
    long checked = System.nanoTime();

    // 4. Devices: the survivors catch up; every device replays its feed; every new device agrees.
    for (SyncDevice d : survivors) {
      assertConverged(d, truth.logs(), membership.get(d.credentials.userId()));
      assertThat(d.messenger.catchUps()).as("%s caught up after the restart", d.name).isGreaterThanOrEqualTo(2);
      long head = Futures.await(as.get(d.credentials.userId()).getState()).getPts();
      d.messenger.awaitPts(head, WAIT);
      assertThat(d.store.pts()).as("%s pts", d.name).hasValue(head);
    }
    for (Map.Entry<String, Credentials> device : devices.entrySet()) {
      Set<Long> mine = membership.get(device.getValue().userId());
      try (SyncDevice replay = SyncDevice.online(proto, device.getKey() + "-replay", device.getValue(), SyncDevice.fromFeedStart(), WAIT)) {
        assertConverged(replay, truth.logs(), mine);
      }
      try (SyncDevice fresh = SyncDevice.online(json, device.getKey() + "-new", device.getValue(), new MemorySyncStore(), WAIT)) {
        assertThat(fresh.store.conversations()).extracting(Conversation::getConversationId).containsExactlyInAnyOrderElementsOf(mine);
        for (long conv : mine) {
          List<Message> log = truth.logs().get(conv);
          assertThat(fresh.store.lastSeq(conv)).as("%s last seq of %d", fresh.name, conv).isEqualTo(log.size());
          assertThat(ConversationLogs.key(fresh.store.conversation(conv).orElseThrow().getLastMessage()))
              .isEqualTo(ConversationLogs.key(log.get(log.size() - 1)));
        }
      }
    }
    survivors.forEach(SyncDevice::close);
    long synced = System.nanoTime();

    // 5. A clean stop.
    int exit = second.terminate(WAIT);
    assertThat(second.output()).as("exit %d", exit).contains("Gateway stopped");
    assertThat(postgres()).as("PostgreSQL still running after SIGTERM").isEmpty();

    System.out.printf(
        "CrashRecoveryIT: %d attempts, %d acknowledged, %d unanswered (%d of them stored, %d on the wire at the kill); "
            + "log sizes %s; set-up %d ms, storm %d ms, restart %d ms, log checks %d ms, devices %d ms, total %d ms%n",
        ledger.all().size(), acked.size(), unanswered.size(), storedUnanswered.size(), onTheWire,
        truth.logs().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size())),
        ms(t0, setUp), ms(setUp, killed), ms(killed, restarted), ms(restarted, checked), ms(checked, synced), ms(t0, System.nanoTime()));
  }

  /** The logs of every conversation, each checked for gaps and repeated client_msg_ids and against the ledger. */
  private record Logs(Map<Long, List<Message>> logs, Map<Long, Map<String, Message>> byClientMsgId) {}

  private static Logs readLogs(Map<Long, Connection> reader, SendLedger ledger) {
    Map<Long, List<Message>> logs = new HashMap<>();
    Map<Long, Map<String, Message>> byId = new HashMap<>();
    for (Map.Entry<Long, Connection> r : reader.entrySet()) {
      long conv = r.getKey();
      List<Message> log = ConversationLogs.read(r.getValue(), conv);
      Map<String, Message> entries = ConversationLogs.checkInvariants(conv, log);
      for (Message m : log) {
        if (m.getClientMsgId().isEmpty()) {
          assertThat(m.hasService()).as("entry without client_msg_id: %s", m).isTrue();
          continue;
        }
        Optional<Attempt> sent = ledger.find(m.getClientMsgId());
        assertThat(sent).as("an entry nobody sent: %s", m).isPresent();
        assertThat(ConversationLogs.key(m))
            .isEqualTo(ConversationLogs.key(Message.newBuilder()
                .setConversationId(sent.get().conversationId())
                .setSeq(m.getSeq())
                .setMessageId(m.getMessageId())
                .setSenderId(sent.get().senderId())
                .setClientMsgId(sent.get().clientMsgId())
                .setText(TextContent.newBuilder().setText(sent.get().text()))
                .build()));
      }
      logs.put(conv, log);
      byId.put(conv, entries);
    }
    return new Logs(logs, byId);
  }

  private static void assertConverged(SyncDevice d, Map<Long, List<Message>> logs, Set<Long> mine) {
    Map<Long, List<Message>> expected = new HashMap<>();
    mine.forEach(conv -> expected.put(conv, logs.get(conv)));
    Set<Long> foreign = logs.keySet().stream().filter(conv -> !mine.contains(conv)).collect(Collectors.toSet());
    d.awaitExactly(expected, foreign, WAIT);
    expected.forEach(d::assertAnnouncedOnceInOrder);
  }

  /** Resends each attempt with its client_msg_id from its sender's connection, 32 at a time. */
  private static Map<String, SendMessageResponse> resend(List<Attempt> attempts, Map<Long, Connection> bySender) {
    Map<String, SendMessageResponse> answers = new HashMap<>();
    for (int from = 0; from < attempts.size(); from += 32) {
      List<Attempt> batch = attempts.subList(from, Math.min(attempts.size(), from + 32));
      List<CompletableFuture<SendMessageResponse>> futures = new ArrayList<>();
      for (Attempt x : batch) {
        futures.add(bySender.get(x.senderId()).sendMessage(request(x.conversationId(), x.clientMsgId(), x.text())));
      }
      for (int i = 0; i < batch.size(); i++) answers.put(batch.get(i).clientMsgId(), Futures.await(futures.get(i)));
    }
    return answers;
  }

  /** Creates the direct chat of {@code from} and {@code to} with a first message; returns its id. */
  private static long firstDirectMessage(SendLedger ledger, Connection sender, long from, long to) {
    String id = "setup." + from + "." + to;
    String text = "first message from " + from + " to " + to;
    SendMessageResponse r =
        Futures.await(sender.sendMessage(SendMessageRequest.newBuilder().setUserId(to).setClientMsgId(id)
            .setText(TextContent.newBuilder().setText(text)).build()));
    ledger.acked(ledger.begin(id, r.getConversationId(), from, text), r);
    return r.getConversationId();
  }

  private static SendMessageRequest request(long conversationId, String clientMsgId, String text) {
    return SendMessageRequest.newBuilder()
        .setConversationId(conversationId)
        .setClientMsgId(clientMsgId)
        .setText(TextContent.newBuilder().setText(text))
        .build();
  }

  /** Registers each user on device "{name}1" and logs in on device "{name}2". */
  private Map<String, Credentials> registerUsers(ParleyClient client, String... names) {
    DevCodes codes = new DevCodes(dataDir);
    Map<String, Credentials> devices = new LinkedHashMap<>();
    for (String name : names) {
      String email = DevCodes.uniqueEmail(name);
      devices.put(name + "1", codes.register(client, email, name.toUpperCase(), name + "1"));
      devices.put(name + "2", Users.login(client, email, name + "2", Platform.PLATFORM_ANDROID));
    }
    return devices;
  }

  private static Connection connect(ParleyClient client, Credentials credentials) {
    Connection c = client.newConnection(TokenStore.inMemory(credentials)).start();
    c.awaitState(State.READY, WAIT);
    return c;
  }

  private static ParleyClient client(int port, Encoding encoding) {
    return ParleyClient.builder(URI.create("http://127.0.0.1:" + port))
        .encoding(encoding)
        .requestTimeout(Duration.ofSeconds(10))
        .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
        .build();
  }

  private Optional<ProcessHandle> postgres() throws IOException {
    Path pid = dataDir.resolve("postgres").resolve("postmaster.pid");
    if (!Files.exists(pid)) return Optional.empty();
    long p = Long.parseLong(Files.readAllLines(pid).get(0).trim());
    return ProcessHandle.of(p).filter(ProcessHandle::isAlive);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long ms(long from, long to) {
    return Duration.ofNanos(to - from).toMillis();
  }

  /** Stops the server at the end of the test if it still runs: gracefully, so its PostgreSQL stops too. */
  private ServerProcess stopLater(ServerProcess server) {
    resources.add(() -> {
      if (ProcessHandle.of(server.pid()).filter(ProcessHandle::isAlive).isPresent()) server.terminate(WAIT);
      server.close();
    });
    return server;
  }

  private <T extends AutoCloseable> T keep(T resource) {
    resources.add(resource);
    return resource;
  }
}
