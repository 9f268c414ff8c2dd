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
import dev.parley.proto.client.ServiceContent.Action;
import dev.parley.server.audit.ConversationLogs;
import dev.parley.server.audit.LedgerAudit;
import dev.parley.server.audit.SendLedger;
import dev.parley.server.audit.SendLedger.Outcome;
import dev.parley.testkit.PostgresExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Group logs followed by seq (design.md 8.3), end to end through the SDK: concurrent senders into
 * several groups while members come and go, and a device that drops out in the middle of a burst.
 * Every device must end with exactly what its membership windows let it see, each entry announced
 * once in seq order, and nothing after a removal.
 */
class GroupLogsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  static TestNode node;
  static DevCodes codes;
  private final List<AutoCloseable> resources = new ArrayList<>();

  @BeforeAll
  static void start() {
    node = TestNode.start(postgres, Map.of());
    codes = new DevCodes(node.dataDir);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable r : resources.reversed()) r.close();
    resources.clear();
  }

  @Test
  void
      concurrentSendersIntoThreeGroups_whileMembersAreRemovedAndInvited_everyDeviceHoldsExactlyItsWindows()
          throws Exception {
    ParleyClient proto = node.client(Encoding.PROTOBUF);
    ParleyClient json = node.client(Encoding.JSON);
    Map<String, Credentials> users = new HashMap<>();
    Map<String, String> emails = new HashMap<>();
    for (String name : List.of("owner", "steady1", "steady2", "churn1", "churn2", "churn3")) {
      emails.put(name, DevCodes.uniqueEmail(name));
      users.put(name, codes.register(proto, emails.get(name), name, name + "-sender"));
    }
    long owner = users.get("owner").userId();
    List<Long> steady = List.of(users.get("steady1").userId(), users.get("steady2").userId());
    List<Long> churners =
        List.of(
            users.get("churn1").userId(),
            users.get("churn2").userId(),
            users.get("churn3").userId());
    // A following device per user (the SDK's sync engine), besides the sending connection.
    Map<Long, SyncDevice> followers = new HashMap<>();
    int i = 0;
    for (String name : users.keySet()) {
      ParleyClient client = i++ % 2 == 0 ? json : proto;
      Credentials device =
          Users.login(client, emails.get(name), name + "-follower", Platform.PLATFORM_ANDROID);
      followers.put(
          device.userId(),
          keep(SyncDevice.online(client, name + "-follower", device, new MemorySyncStore(), WAIT)));
    }
    Map<Long, Connection> senders = new HashMap<>();
    for (Credentials c : users.values()) senders.put(c.userId(), keep(connect(proto, c)));
    List<Long> everyoneButOwner = new ArrayList<>(steady);
    everyoneButOwner.addAll(churners);
    List<Long> groups = new ArrayList<>();
    for (int g = 0; g < 3; g++) {
      groups.add(
          Futures.await(senders.get(owner).createGroup("churn " + g, everyoneButOwner))
              .getConversation()
              .getConversationId());
    }

    // The owner and the steady members write into every group; meanwhile the owner removes and
    // re-invites the churners, one change at a time, in random groups.
    SendLedger ledger = new SendLedger();
    List<SendStorm.Lane> lanes = new ArrayList<>();
    for (long g : groups) {
      lanes.add(new SendStorm.Lane("o-" + g, senders.get(owner), owner, g));
      for (long s : steady) lanes.add(new SendStorm.Lane("s" + s + "-" + g, senders.get(s), s, g));
    }
    SendStorm storm = keep(SendStorm.start(ledger, lanes, 1, Duration.ofSeconds(20)));
    Random random = new Random(7);
    Map<Long, Set<Long>> outside = new HashMap<>();
    groups.forEach(g -> outside.put(g, new java.util.HashSet<>()));
    for (int change = 0; change < 24; change++) {
      long g = groups.get(random.nextInt(groups.size()));
      long c = churners.get(random.nextInt(churners.size()));
      if (outside.get(g).remove(c)) {
        Futures.await(senders.get(owner).inviteMembers(g, List.of(c)));
      } else {
        Futures.await(senders.get(owner).removeMember(g, c));
        outside.get(g).add(c);
      }
      int acked = ledger.ackedCount();
      await().atMost(WAIT).until(() -> ledger.ackedCount() >= acked + 20);
    }
    storm.stop();
    storm.awaitFinished(WAIT);
    assertThat(ledger.all())
        .as("sends by members who never leave")
        .allMatch(a -> ledger.outcome(a) instanceof Outcome.Acked);

    Map<Long, Connection> reader = new HashMap<>();
    groups.forEach(g -> reader.put(g, senders.get(owner)));
    LedgerAudit.Logs truth = LedgerAudit.readLogs(reader, ledger);
    LedgerAudit.assertAcknowledgedKept(ledger, truth.byClientMsgId());

    for (long user : followers.keySet()) {
      SyncDevice d = followers.get(user);
      for (long g : groups) {
        List<Message> log = truth.logs().get(g);
        List<long[]> windows = windows(log, user);
        long[] last = windows.getLast();
        // Everything of the last window, once, in order; nothing outside any window.
        List<Message> lastWindow = log.subList((int) last[0] - 1, (int) last[1]);
        d.messenger.awaitCondition(
            () ->
                ConversationLogs.keys(d.store.messages(g))
                    .containsAll(ConversationLogs.keys(lastWindow)),
            WAIT);
        for (Message held : d.store.messages(g)) {
          assertThat(windows.stream().anyMatch(w -> held.getSeq() >= w[0] && held.getSeq() <= w[1]))
              .as(
                  "%s holds %d:%d outside its windows %s",
                  d.name, g, held.getSeq(), windowsText(windows))
              .isTrue();
          assertThat(ConversationLogs.key(held))
              .isEqualTo(ConversationLogs.key(log.get((int) held.getSeq() - 1)));
        }
        if (!churners.contains(user)) d.assertAnnouncedOnceInOrder(g, log);
      }
    }
    System.out.printf(
        "GroupLogsIT: %d sends, %d membership changes, logs %s%n",
        ledger.all().size(), 24, groups.stream().map(g -> truth.logs().get(g).size()).toList());
  }

  @Test
  void aDeviceThatDropsOutInTheMiddleOfAGroupBurst_getsEveryEntryOnceInOrder() throws Exception {
    ParleyClient proto = node.client(Encoding.PROTOBUF);
    Map<String, Credentials> users = new HashMap<>();
    for (String name : List.of("host", "talker1", "talker2", "listener")) {
      users.put(name, codes.register(proto, DevCodes.uniqueEmail(name), name, name + "-1"));
    }
    long host = users.get("host").userId();
    Connection hostConnection = keep(connect(proto, users.get("host")));
    long group =
        Futures.await(
                hostConnection.createGroup(
                    "burst",
                    List.of(
                        users.get("talker1").userId(),
                        users.get("talker2").userId(),
                        users.get("listener").userId())))
            .getConversation()
            .getConversationId();
    Device listener = keep(Device.online(proto, users.get("listener")));

    SendLedger ledger = new SendLedger();
    List<SendStorm.Lane> lanes = new ArrayList<>();
    for (String talker : List.of("host", "talker1", "talker2")) {
      Credentials c = users.get(talker);
      Connection conn = talker.equals("host") ? hostConnection : keep(connect(proto, c));
      lanes.add(new SendStorm.Lane(talker, conn, c.userId(), group));
    }
    SendStorm storm = keep(SendStorm.start(ledger, lanes, 2, Duration.ofSeconds(20)));
    await().atMost(WAIT).until(() -> ledger.ackedCount() >= 300);
    listener.disconnect();
    await().atMost(WAIT).until(() -> ledger.ackedCount() >= 1_200);
    long heldAtReconnect = listener.store.lastSeq(group);
    listener.connect(); // while the burst goes on
    await().atMost(WAIT).until(() -> ledger.ackedCount() >= 1_500);
    storm.stop();
    storm.awaitFinished(WAIT);

    List<Message> log = ConversationLogs.read(hostConnection, group);
    ConversationLogs.checkInvariants(group, log);
    listener.awaitEntries(group, log);
    // Everything after what the device held when it came back was announced, once, in seq order. (A
    // closed messenger may not have run its last listeners, so entries before that only need to be
    // held.)
    List<Long> missed =
        log.stream().map(Message::getSeq).filter(seq -> seq > heldAtReconnect).toList();
    assertThat(missed).as("entries the device missed while away").hasSizeGreaterThan(500);
    listener.messenger.awaitCondition(
        () -> listener.order.getOrDefault(group, List.of()).containsAll(missed), WAIT);
    assertThat(listener.order.get(group))
        .as("announcement order")
        .isSorted()
        .doesNotHaveDuplicates();
    assertThat(listener.announced.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    System.out.printf(
        "GroupLogsIT: %d entries; the reconnect's catch-up: %s%n",
        log.size(), listener.messenger.lastCatchUp());
    assertThat(log.get(0).getService().getAction()).isEqualTo(Action.GROUP_CREATED);
  }

  // --- helpers ---

  /**
   * The windows of seqs the user could read, from the log's service entries: [first, last] pairs,
   * the last one open (to the log's end) while the user is still a member.
   */
  static List<long[]> windows(List<Message> log, long user) {
    List<long[]> out = new ArrayList<>();
    long from = -1;
    for (Message m : log) {
      if (!m.hasService()) continue;
      var s = m.getService();
      boolean names = s.getUserIdsList().contains(user);
      boolean joined =
          (s.getAction() == Action.GROUP_CREATED && (names || s.getActorId() == user))
              || (s.getAction() == Action.MEMBERS_ADDED && names);
      boolean left =
          (s.getAction() == Action.MEMBER_REMOVED && names)
              || (s.getAction() == Action.MEMBER_LEFT && s.getActorId() == user);
      if (joined) from = m.getSeq();
      if (left && from > 0) {
        out.add(new long[] {from, m.getSeq()});
        from = -1;
      }
    }
    if (from > 0) out.add(new long[] {from, log.size()});
    return out;
  }

  private static String windowsText(List<long[]> windows) {
    return windows.stream().map(w -> w[0] + ".." + w[1]).collect(Collectors.joining(", "));
  }

  private static Connection connect(ParleyClient client, Credentials credentials) {
    Connection c = client.newConnection(TokenStore.inMemory(credentials)).start();
    c.awaitState(State.READY, WAIT);
    return c;
  }

  private <T extends AutoCloseable> T keep(T resource) {
    resources.add(resource);
    return resource;
  }
}
