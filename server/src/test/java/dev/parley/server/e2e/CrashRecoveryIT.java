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
import dev.parley.server.audit.ConversationLogs;
import dev.parley.server.audit.LedgerAudit;
import dev.parley.server.audit.SendLedger;
import dev.parley.server.audit.SendLedger.Attempt;
import dev.parley.server.audit.SendLedger.Outcome;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MSG-5, MSG-6: kill -9 of the single node during a send storm loses no acknowledged message and
 * duplicates none (design.md 8.2, 8.4, 8.5).
 *
 * <p>Three users with two devices each share a group and two direct chats. Device 1 of each user
 * sends as fast as the server answers, without SDK retries, while device 2 of each user follows
 * along with the SDK's sync engine. Once some hundreds of sends are acknowledged the node is
 * SIGKILLed with sends on the wire: first the server JVM alone, then, in a second storm, the JVM
 * and its PostgreSQL (as when the whole node dies). After each restart on the same data directory
 * (and port):
 *
 * <ul>
 *   <li>every log is gap-free and holds each client_msg_id at most once, and only messages we sent;
 *   <li>every acknowledged send is there once, at its seq, with its id, text and sender;
 *   <li>every unanswered send is there once or not at all, and resending its client_msg_id settles
 *       it: the original with {@code duplicate = true}, or one new copy; resending an acknowledged
 *       one answers with the original;
 *   <li>the devices that live through the crashes catch up to exactly the server's logs, each entry
 *       announced once in seq order, with the server's read markers and unread counts.
 * </ul>
 *
 * At the end all six devices replay their feed from pts 0 on an empty store and end with exactly
 * the server's logs, and all six started as new devices (rebuilt from the conversation list) agree
 * with the server's summaries. Then SIGTERM stops the node cleanly.
 */
class CrashRecoveryIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int ACKS_BEFORE_KILL = 300;
  private static final int WORKERS_PER_LANE = 2;

  @TempDir Path dataDir;
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeResources() throws Exception {
    Collections.reverse(resources);
    for (AutoCloseable r : resources) r.close();
    // A test that failed between kill -9 and the restart leaves the embedded PostgreSQL running.
    Optional<ProcessHandle> orphan = ServerProcess.postgresOf(dataDir);
    if (orphan.isPresent()) {
      orphan.get().destroy();
      orphan.get().onExit().get(30, TimeUnit.SECONDS);
    }
  }

  /** What kill -9 hits. The test crashes the node once each way, in this order. */
  enum Crash {
    /** The server JVM only: its PostgreSQL keeps running and is shut down by the next start. */
    SERVER_JVM,
    /** The JVM, then its PostgreSQL: a crash of the whole node, recovered from the WAL. */
    SERVER_JVM_AND_POSTGRES
  }

  @Test
  void kill9DuringSendStorms_losesNoAcknowledgedMessage_duplicatesNone_andEveryDeviceConverges()
      throws Exception {
    long t0 = System.nanoTime();
    int port = ServerProcess.freePort();
    Map<String, String> env =
        Map.of(
            "PARLEY_USER_PASSWORD_MEMORY_KIB",
            "1024",
            "PARLEY_USER_PASSWORD_ITERATIONS",
            "1",
            "PARLEY_GATEWAY_PORT",
            Integer.toString(port));
    ParleyClient proto = keep(ServerProcess.client(port, Encoding.PROTOBUF));
    ParleyClient json = keep(ServerProcess.client(port, Encoding.JSON));
    SendLedger ledger = new SendLedger();

    ServerProcess server = stopLater(ServerProcess.start(dataDir, env));
    server.awaitPort(Duration.ofSeconds(60));
    Map<String, Credentials> devices = registerUsers(proto, "a", "b", "c");
    long a = devices.get("a1").userId();
    long b = devices.get("b1").userId();
    long c = devices.get("c1").userId();
    // Device 2 of each user follows everything live, on a store that survives the crashes.
    List<SyncDevice> survivors = new ArrayList<>();
    for (String name : List.of("a2", "b2", "c2")) {
      survivors.add(
          keep(SyncDevice.online(json, name, devices.get(name), new MemorySyncStore(), WAIT)));
    }
    // Device 1 of each user sends, on a plain connection.
    Map<Long, Connection> senders = connectSenders(proto, devices);
    long group =
        Futures.await(senders.get(a).createGroup("crash test", List.of(b, c)))
            .getConversation()
            .getConversationId();
    long ab = firstDirectMessage(ledger, senders.get(a), a, b);
    long bc = firstDirectMessage(ledger, senders.get(b), b, c);
    Map<Long, Set<Long>> membership =
        Map.of(a, Set.of(group, ab), b, Set.of(group, ab, bc), c, Set.of(group, bc));
    List<String> report = new ArrayList<>(List.of("set-up " + ms(t0, System.nanoTime()) + " ms"));

    Map<String, SendMessageResponse> answers = new HashMap<>();
    LedgerAudit.Logs truth = null;
    int settled = 0;
    for (Crash crash : Crash.values()) {
      // The storm, and kill -9 in the middle of it.
      long started = System.nanoTime();
      String r = "r" + (crash.ordinal() + 1) + "-";
      List<SendStorm.Lane> lanes =
          List.of(
              new SendStorm.Lane(r + "a-g", senders.get(a), a, group),
              new SendStorm.Lane(r + "a-ab", senders.get(a), a, ab),
              new SendStorm.Lane(r + "b-g", senders.get(b), b, group),
              new SendStorm.Lane(r + "b-ab", senders.get(b), b, ab),
              new SendStorm.Lane(r + "b-bc", senders.get(b), b, bc),
              new SendStorm.Lane(r + "c-g", senders.get(c), c, group),
              new SendStorm.Lane(r + "c-bc", senders.get(c), c, bc));
      int onTheWire = stormAndKill(crash, server, ledger, lanes);
      List<Attempt> round = ledger.all().subList(settled, ledger.all().size());
      settled += round.size();
      List<Attempt> unanswered =
          round.stream().filter(x -> ledger.outcome(x) instanceof Outcome.NoAnswer).toList();
      assertThat(round)
          .as("sends the server refused")
          .noneMatch(x -> ledger.outcome(x) instanceof Outcome.Rejected);
      assertThat(unanswered).as("sends on the wire when the server was killed").isNotEmpty();
      senders.values().forEach(Connection::close);
      long killed = System.nanoTime();

      // Restart on the same data directory and port; the survivors reconnect by themselves.
      server = stopLater(ServerProcess.start(dataDir, env));
      assertThat(server.awaitPort(Duration.ofSeconds(60))).isEqualTo(port);
      long restarted = System.nanoTime();
      senders = connectSenders(proto, devices);
      Map<Long, Connection> reader =
          Map.of(group, senders.get(a), ab, senders.get(a), bc, senders.get(b));

      // What the crash left behind; resends settle it; then every send exists exactly once.
      Map<Long, Map<String, Message>> stored = LedgerAudit.readLogs(reader, ledger).byClientMsgId();
      LedgerAudit.assertAcknowledgedKept(ledger, stored);
      long storedUnanswered =
          unanswered.stream()
              .filter(u -> stored.get(u.conversationId()).containsKey(u.clientMsgId()))
              .count();
      answers.putAll(LedgerAudit.resendEach(round, ledger, stored, senders));
      truth = LedgerAudit.readLogs(reader, ledger);
      LedgerAudit.assertEachSendOnceAsAnswered(ledger, answers, truth);

      // The survivors catch up to exactly the server's logs and read state.
      for (SyncDevice d : survivors) {
        Connection own = senders.get(d.credentials.userId());
        assertConverged(d, truth.logs(), membership.get(d.credentials.userId()));
        assertThat(d.messenger.catchUps())
            .as("%s catch-ups", d.name)
            .isGreaterThanOrEqualTo(crash.ordinal() + 2);
        long head = Futures.await(own.getState()).getPts();
        d.messenger.awaitPts(head, WAIT);
        assertThat(d.store.pts()).as("%s pts", d.name).hasValue(head);
        assertReadStateAgrees(d, own, membership.get(d.credentials.userId()));
      }
      report.add(
          String.format(
              "%s: %d attempts, %d acknowledged, %d unanswered (%d of them stored; %d on the wire at the kill), storm %d ms, "
                  + "restart %d ms, checks %d ms",
              crash,
              round.size(),
              round.size() - unanswered.size(),
              unanswered.size(),
              storedUnanswered,
              onTheWire,
              ms(started, killed),
              ms(killed, restarted),
              ms(restarted, System.nanoTime())));
    }

    // Every device replays its feed from an empty store; every device started anew agrees with the
    // server.
    long replayed = System.nanoTime();
    for (Map.Entry<String, Credentials> device : devices.entrySet()) {
      Credentials creds = device.getValue();
      assertNewDevicesAgree(
          device.getKey(),
          creds,
          membership.get(creds.userId()),
          truth,
          proto,
          json,
          senders.get(creds.userId()));
    }
    survivors.forEach(SyncDevice::close);
    report.add("new devices " + ms(replayed, System.nanoTime()) + " ms");

    // A clean stop.
    int exit = server.terminate(WAIT);
    assertThat(server.output()).as("exit %d", exit).contains("Gateway stopped");
    assertThat(ServerProcess.postgresOf(dataDir))
        .as("PostgreSQL still running after SIGTERM")
        .isEmpty();
    report.add(
        "log sizes "
            + truth.logs().values().stream().map(List::size).toList()
            + ", total "
            + ms(t0, System.nanoTime())
            + " ms");
    System.out.println("CrashRecoveryIT: " + String.join("; ", report));
  }

  /**
   * Sends until {@link #ACKS_BEFORE_KILL} more sends are acknowledged, then stops the senders and
   * kills the node as {@code crash} says while their last sends are on the wire. Returns how many
   * were.
   */
  private int stormAndKill(
      Crash crash, ServerProcess server, SendLedger ledger, List<SendStorm.Lane> lanes)
      throws Exception {
    int target = ledger.ackedCount() + ACKS_BEFORE_KILL;
    SendStorm storm = keep(SendStorm.start(ledger, lanes, WORKERS_PER_LANE, Duration.ofSeconds(5)));
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(2))
        .until(() -> ledger.ackedCount() >= target);
    int onTheWire = ledger.pending();
    storm.stop();
    server.kill();
    Optional<ProcessHandle> orphan = ServerProcess.postgresOf(dataDir);
    assertThat(orphan).as("PostgreSQL outlives the JVM").isPresent();
    if (crash == Crash.SERVER_JVM_AND_POSTGRES) {
      orphan.get().destroyForcibly();
      orphan.get().onExit().get(10, TimeUnit.SECONDS);
    }
    storm.awaitFinished(WAIT);
    return onTheWire;
  }

  /**
   * A device on an empty store that replays its feed from pts 0 ends with exactly the server's
   * logs; one that starts as a new device (no pts: rebuilt from the conversation list) has the
   * server's summaries.
   */
  private static void assertNewDevicesAgree(
      String name,
      Credentials device,
      Set<Long> mine,
      LedgerAudit.Logs truth,
      ParleyClient proto,
      ParleyClient json,
      Connection server) {
    try (SyncDevice replay =
        SyncDevice.online(proto, name + "-replay", device, SyncDevice.fromFeedStart(), WAIT)) {
      assertConverged(replay, truth.logs(), mine);
      assertReadStateAgrees(replay, server, mine);
    }
    try (SyncDevice fresh =
        SyncDevice.online(json, name + "-new", device, new MemorySyncStore(), WAIT)) {
      assertThat(fresh.store.conversations())
          .extracting(Conversation::getConversationId)
          .containsExactlyInAnyOrderElementsOf(mine);
      for (long conv : mine) {
        List<Message> log = truth.logs().get(conv);
        assertThat(fresh.store.lastSeq(conv))
            .as("%s last seq of %d", fresh.name, conv)
            .isEqualTo(log.size());
        assertThat(
                ConversationLogs.key(fresh.store.conversation(conv).orElseThrow().getLastMessage()))
            .isEqualTo(ConversationLogs.key(log.get(log.size() - 1)));
      }
    }
  }

  /**
   * The device's read markers and unread counts are the server's (computed, so they cannot drift:
   * 8.6).
   */
  private static void assertReadStateAgrees(SyncDevice d, Connection server, Set<Long> mine) {
    Map<Long, Conversation> theirs =
        Futures.await(server.getConversations(100, "")).getConversationsList().stream()
            .collect(Collectors.toMap(Conversation::getConversationId, conv -> conv));
    for (long conv : mine) {
      assertThat(d.store.readSeq(conv))
          .as("%s read seq of %d", d.name, conv)
          .isEqualTo(theirs.get(conv).getReadSeq());
      assertThat(d.store.unread(conv))
          .as("%s unread in %d", d.name, conv)
          .isEqualTo(theirs.get(conv).getUnreadCount());
    }
  }

  private static void assertConverged(SyncDevice d, Map<Long, List<Message>> logs, Set<Long> mine) {
    Map<Long, List<Message>> expected = new HashMap<>();
    mine.forEach(conv -> expected.put(conv, logs.get(conv)));
    Set<Long> foreign =
        logs.keySet().stream().filter(conv -> !mine.contains(conv)).collect(Collectors.toSet());
    d.awaitExactly(expected, foreign, WAIT);
    expected.forEach(d::assertAnnouncedOnceInOrder);
  }

  /**
   * Creates the direct chat of {@code from} and {@code to} with a first message; returns its id.
   * The message goes into the ledger too (after its answer, which names the conversation), so that
   * every user entry of every log is one the ledger knows.
   */
  private static long firstDirectMessage(SendLedger ledger, Connection sender, long from, long to) {
    String id = "setup." + from + "." + to;
    String text = "first message from " + from + " to " + to;
    SendMessageResponse r =
        Futures.await(
            sender.sendMessage(
                SendMessageRequest.newBuilder()
                    .setUserId(to)
                    .setClientMsgId(id)
                    .setText(TextContent.newBuilder().setText(text))
                    .build()));
    ledger.acked(ledger.begin(id, r.getConversationId(), from, text), r);
    return r.getConversationId();
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

  /** A fresh connection of device 1 of each user, by user id. */
  private Map<Long, Connection> connectSenders(
      ParleyClient client, Map<String, Credentials> devices) {
    Map<Long, Connection> senders = new HashMap<>();
    for (String name : List.of("a1", "b1", "c1")) {
      senders.put(devices.get(name).userId(), keep(connect(client, devices.get(name))));
    }
    return senders;
  }

  private static Connection connect(ParleyClient client, Credentials credentials) {
    Connection c = client.newConnection(TokenStore.inMemory(credentials)).start();
    c.awaitState(State.READY, WAIT);
    return c;
  }

  private static long ms(long from, long to) {
    return Duration.ofNanos(to - from).toMillis();
  }

  /**
   * Stops the server at the end of the test if it still runs: gracefully, so its PostgreSQL stops
   * too.
   */
  private ServerProcess stopLater(ServerProcess server) {
    resources.add(
        () -> {
          if (ProcessHandle.of(server.pid()).filter(ProcessHandle::isAlive).isPresent())
            server.terminate(WAIT);
          server.close();
        });
    return server;
  }

  private <T extends AutoCloseable> T keep(T resource) {
    resources.add(resource);
    return resource;
  }
}
