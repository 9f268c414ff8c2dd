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
import dev.parley.proto.client.Message;
import dev.parley.proto.client.Platform;
import dev.parley.proto.client.SendMessageResponse;
import dev.parley.server.audit.ConversationLogs;
import dev.parley.server.audit.LedgerAudit;
import dev.parley.server.audit.SendLedger;
import dev.parley.server.audit.SendLedger.Attempt;
import dev.parley.server.audit.SendLedger.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MSG-6 for group logs (design.md 8.3): kill -9 of the whole node (JVM and PostgreSQL) during a
 * storm of group messages, with a member removed in the middle of it. After the restart every
 * acknowledged message is in its log exactly once, every log is gap-free, every member device
 * converges to exactly the log (each entry announced once, in seq order), and the removed member's
 * devices hold the log up to the removal and nothing after it — also a device that replays
 * everything from pts 0.
 */
class GroupStormCrashIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dataDir;
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeResources() throws Exception {
    for (AutoCloseable r : resources.reversed()) r.close();
    Optional<ProcessHandle> orphan = ServerProcess.postgresOf(dataDir);
    if (orphan.isPresent()) {
      orphan.get().destroy();
      orphan.get().onExit().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void
      kill9DuringAGroupStorm_losesNothingAcknowledged_andRemovedMembersSeeNothingAfterTheirRemoval()
          throws Exception {
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
    ServerProcess server = stopLater(ServerProcess.start(dataDir, env));
    server.awaitPort(WAIT);

    DevCodes codes = new DevCodes(dataDir);
    Map<String, String> emails = new LinkedHashMap<>();
    Map<String, Credentials> senders = new LinkedHashMap<>();
    Map<String, SyncDevice> followers = new LinkedHashMap<>();
    for (String name : List.of("a", "b", "c", "d")) {
      emails.put(name, DevCodes.uniqueEmail(name));
      senders.put(name, codes.register(proto, emails.get(name), name, name + "1"));
      Credentials follower =
          Users.login(json, emails.get(name), name + "2", Platform.PLATFORM_ANDROID);
      followers.put(
          name, keep(SyncDevice.online(json, name + "2", follower, new MemorySyncStore(), WAIT)));
    }
    long a = senders.get("a").userId();
    long b = senders.get("b").userId();
    long c = senders.get("c").userId();
    long d = senders.get("d").userId();
    Map<Long, Connection> conns = connect(proto, senders);
    long big =
        Futures.await(conns.get(a).createGroup("big", List.of(b, c, d)))
            .getConversation()
            .getConversationId();
    long small =
        Futures.await(conns.get(a).createGroup("small", List.of(b, c)))
            .getConversation()
            .getConversationId();

    SendLedger ledger = new SendLedger();
    List<SendStorm.Lane> lanes =
        List.of(
            new SendStorm.Lane("a-big", conns.get(a), a, big),
            new SendStorm.Lane("b-big", conns.get(b), b, big),
            new SendStorm.Lane("c-big", conns.get(c), c, big),
            new SendStorm.Lane("a-small", conns.get(a), a, small),
            new SendStorm.Lane("b-small", conns.get(b), b, small));
    SendStorm storm = keep(SendStorm.start(ledger, lanes, 2, Duration.ofSeconds(5)));
    await().atMost(WAIT).pollInterval(Duration.ofMillis(2)).until(() -> ledger.ackedCount() >= 200);
    long removal = Futures.await(conns.get(a).removeMember(big, d)).getSeq();
    await().atMost(WAIT).pollInterval(Duration.ofMillis(2)).until(() -> ledger.ackedCount() >= 500);
    storm.stop();
    server.kill();
    Optional<ProcessHandle> pg = ServerProcess.postgresOf(dataDir);
    assertThat(pg).as("PostgreSQL outlives the JVM").isPresent();
    pg.get().destroyForcibly();
    pg.get().onExit().get(10, TimeUnit.SECONDS);
    storm.awaitFinished(WAIT);
    List<Attempt> unanswered =
        ledger.all().stream().filter(x -> ledger.outcome(x) instanceof Outcome.NoAnswer).toList();
    assertThat(unanswered).as("sends on the wire at the kill").isNotEmpty();
    conns.values().forEach(Connection::close);

    server = stopLater(ServerProcess.start(dataDir, env));
    assertThat(server.awaitPort(WAIT)).isEqualTo(port);
    conns = connect(proto, senders);
    Map<Long, Connection> reader = Map.of(big, conns.get(a), small, conns.get(a));
    Map<Long, Map<String, Message>> stored = LedgerAudit.readLogs(reader, ledger).byClientMsgId();
    LedgerAudit.assertAcknowledgedKept(ledger, stored);
    Map<String, SendMessageResponse> answers =
        LedgerAudit.resendEach(ledger.all(), ledger, stored, conns);
    LedgerAudit.Logs truth = LedgerAudit.readLogs(reader, ledger);
    LedgerAudit.assertEachSendOnceAsAnswered(ledger, answers, truth);
    List<Message> bigLog = truth.logs().get(big);
    List<Message> smallLog = truth.logs().get(small);
    List<Message> untilRemoval = bigLog.subList(0, (int) removal);

    // The devices that lived through the crash: members hold exactly the logs; d the big one up to
    // its removal.
    for (String name : List.of("a", "b", "c")) {
      SyncDevice f = followers.get(name);
      f.awaitExactly(Map.of(big, bigLog, small, smallLog), Set.of(), WAIT);
      f.assertAnnouncedOnceInOrder(big, bigLog);
      f.assertAnnouncedOnceInOrder(small, smallLog);
    }
    SyncDevice removed = followers.get("d");
    removed.awaitExactly(Map.of(big, untilRemoval), Set.of(small), WAIT);
    removed.assertAnnouncedOnceInOrder(big, untilRemoval);

    // Devices that replay everything from pts 0 on an empty store agree, the removed member's too.
    for (String name : List.of("b", "d")) {
      Credentials again =
          Users.login(proto, emails.get(name), name + "-replay", Platform.PLATFORM_DESKTOP);
      try (SyncDevice replay =
          SyncDevice.online(proto, name + "-replay", again, SyncDevice.fromFeedStart(), WAIT)) {
        if (name.equals("d")) {
          replay.awaitExactly(Map.of(big, untilRemoval), Set.of(small), WAIT);
        } else {
          replay.awaitExactly(Map.of(big, bigLog, small, smallLog), Set.of(), WAIT);
        }
      }
    }
    System.out.printf(
        "GroupStormCrashIT: %d attempts, %d unanswered at the kill, logs %d and %d entries, removal at %d%n",
        ledger.all().size(), unanswered.size(), bigLog.size(), smallLog.size(), removal);
    assertThat(ConversationLogs.keys(untilRemoval)).hasSize((int) removal);
  }

  private Map<Long, Connection> connect(ParleyClient client, Map<String, Credentials> devices) {
    Map<Long, Connection> out = new HashMap<>();
    for (Credentials creds : devices.values()) {
      Connection c = keep(client.newConnection(TokenStore.inMemory(creds)).start());
      c.awaitState(State.READY, WAIT);
      out.put(creds.userId(), c);
    }
    return out;
  }

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
