package dev.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.Futures;
import dev.parley.client.Recipient;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.SendMessageResponse;
import dev.parley.testkit.PostgresExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MSG-1, SYNC-1..4 end to end: several users with several devices each, one-to-one and group chats
 * over the real WebSocket protocol, checked against the server's own history.
 */
class MultiDeviceIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  static TestNode node;
  static DevCodes codes;
  final TestUsers users = new TestUsers(node, codes);

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
  void closeDevices() {
    users.close();
  }

  /**
   * Every device of a member holds exactly the server's log of the conversation, and was told each
   * entry once, in order.
   */
  private static void assertConverged(long conversationId, List<Device> members) {
    List<Message> truth = members.get(0).history(conversationId);
    assertThat(truth)
        .extracting(Message::getSeq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, truth.size()).boxed().toList());
    for (Device d : members) {
      d.awaitEntries(conversationId, truth);
      // Listeners run after the store is written: wait for the announcements too.
      d.messenger.awaitCondition(
          () ->
              truth.stream()
                  .allMatch(m -> d.announced.containsKey(conversationId + ":" + m.getSeq())),
          Device.WAIT);
      for (Message m : truth) {
        assertThat(d.announced.get(conversationId + ":" + m.getSeq()))
            .as("device of %d announced %d:%d", d.userId(), conversationId, m.getSeq())
            .hasValue(1);
      }
      List<Long> order = d.order.get(conversationId);
      assertThat(order).as("announcement order").isSorted().doesNotHaveDuplicates();
    }
  }

  @Test
  void threeUsersWithTwoDevicesEach_everyDeviceSeesEveryMessageOnceInOrder() {
    List<Device> a = users.user("ann", 2);
    List<Device> b = users.user("ben", 2);
    List<Device> c = users.user("cat", 2);
    long group =
        Futures.await(
                a.get(0)
                    .connection
                    .createGroup("trio", List.of(b.get(0).userId(), c.get(0).userId())))
            .getConversation()
            .getConversationId();
    long ab =
        Futures.await(a.get(0).messenger.sendText(Recipient.user(b.get(0).userId()), "hi ben"))
            .getConversationId();
    long bc =
        Futures.await(b.get(1).messenger.sendText(Recipient.user(c.get(0).userId()), "hi cat"))
            .getConversationId();

    // Every device writes into each of its conversations at the same time.
    List<CompletableFuture<SendMessageResponse>> sends = new ArrayList<>();
    AtomicInteger n = new AtomicInteger();
    for (Device d : users.all()) {
      List<Long> mine = new ArrayList<>(List.of(group));
      if (a.contains(d) || b.contains(d)) mine.add(ab);
      if (b.contains(d) || c.contains(d)) mine.add(bc);
      for (int i = 0; i < 8; i++) {
        for (long conv : mine)
          sends.add(d.messenger.sendText(Recipient.conversation(conv), "m" + n.incrementAndGet()));
      }
    }
    sends.forEach(Futures::await);

    List<Device> ab2 = new ArrayList<>(a);
    ab2.addAll(b);
    List<Device> bc2 = new ArrayList<>(b);
    bc2.addAll(c);
    assertConverged(group, users.all());
    assertConverged(ab, ab2);
    assertConverged(bc, bc2);
    // A device's own messages reached its sibling device too (SYNC-4).
    Set<Long> sentByA0 =
        Set.copyOf(
            a.get(0).history(group).stream()
                .filter(m -> m.getSenderId() == a.get(0).userId())
                .map(Message::getMessageId)
                .toList());
    assertThat(a.get(1).store.messages(group))
        .extracting(Message::getMessageId)
        .containsAll(sentByA0);
  }

  @Test
  void manyConcurrentSendersIntoOneConversation_gapFreeAndTheSameOrderEverywhere() {
    List<Device> members = new ArrayList<>();
    for (int i = 0; i < 6; i++) members.addAll(users.user("g" + i, i == 0 ? 2 : 1));
    long group =
        Futures.await(
                members
                    .get(0)
                    .connection
                    .createGroup(
                        "busy", members.stream().map(Device::userId).distinct().skip(1).toList()))
            .getConversation()
            .getConversationId();
    List<CompletableFuture<SendMessageResponse>> sends = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      for (Device d : members)
        sends.add(d.messenger.sendText(Recipient.conversation(group), d.userId() + "/" + i));
    }
    Set<Long> seqs = new java.util.HashSet<>();
    for (CompletableFuture<SendMessageResponse> s : sends) seqs.add(Futures.await(s).getSeq());
    assertThat(seqs).hasSize(sends.size());
    assertConverged(group, members);
    assertThat(members.get(0).history(group)).hasSize(sends.size() + 1); // + GROUP_CREATED
  }

  @Test
  void recallReachesAnOfflineDeviceAtItsNextSync_andReadingOnOneDeviceClearsTheOther() {
    List<Device> alice = users.user("alice", 1);
    List<Device> bob = users.user("bob", 2);
    Device b1 = bob.get(0);
    Device b2 = bob.get(1);
    SendMessageResponse sent =
        Futures.await(alice.get(0).messenger.sendText(Recipient.user(b1.userId()), "oops"));
    long conv = sent.getConversationId();
    b2.messenger.awaitMessage(conv, sent.getSeq(), Device.WAIT);

    b2.disconnect();
    Futures.await(alice.get(0).connection.recallMessage(conv, sent.getSeq()));
    b2.connect();
    b2.messenger.awaitCondition(
        () -> b2.store.message(conv, sent.getSeq()).map(Message::getRecalled).orElse(false),
        Device.WAIT);
    assertThat(b2.store.message(conv, sent.getSeq()).orElseThrow().hasText()).isFalse();

    for (int i = 0; i < 3; i++)
      Futures.await(alice.get(0).messenger.sendText(Recipient.conversation(conv), "unread " + i));
    b1.messenger.awaitCondition(() -> b1.store.unread(conv) == 3, Device.WAIT);
    b2.messenger.awaitCondition(() -> b2.store.unread(conv) == 3, Device.WAIT);
    Futures.await(b1.messenger.markRead(conv));
    b2.messenger.awaitCondition(() -> b2.store.unread(conv) == 0, Device.WAIT);
    assertThat(Futures.await(b2.connection.getState()).getTotalUnread()).isZero();
    // Alice's device learns that Bob read everything (read receipt).
    long last = b1.store.lastSeq(conv);
    alice
        .get(0)
        .messenger
        .awaitCondition(
            () -> alice.get(0).store.memberReadSeq(conv, b1.userId()) >= last, Device.WAIT);
  }

  @Test
  void friendAndMembershipChangesReachAnOfflineDeviceAtItsNextSync() {
    List<Device> alice = users.user("alice", 1);
    List<Device> bob = users.user("bob", 2);
    Device away = bob.get(1);
    away.disconnect();

    Futures.await(
        alice.get(0).connection.sendFriendRequest(bob.get(0).userId(), "we met at the conference"));
    Futures.await(bob.get(0).connection.acceptFriendRequest(alice.get(0).userId()));
    long group =
        Futures.await(alice.get(0).connection.createGroup("plans", List.of(bob.get(0).userId())))
            .getConversation()
            .getConversationId();
    Futures.await(alice.get(0).connection.renameGroup(group, "weekend plans"));

    away.connect();
    List<Message> log = away.history(group);
    away.awaitEntries(group, log);
    assertThat(log)
        .extracting(m -> m.getService().getAction())
        .containsExactly(
            dev.parley.proto.client.ServiceContent.Action.GROUP_CREATED,
            dev.parley.proto.client.ServiceContent.Action.TITLE_CHANGED);
    var friendList = Futures.await(away.connection.listFriends()).getFriendsList();
    assertThat(friendList)
        .extracting(dev.parley.proto.client.Friend::getUserId)
        .containsExactly(alice.get(0).userId());
    // And the feed itself carried the relation changes for this device.
    var diff = Futures.await(away.connection.getDifference(0, 1000)).getUpdatesList();
    assertThat(diff)
        .anySatisfy(
            u ->
                assertThat(u.getFriendRequest().getState())
                    .isEqualTo(dev.parley.proto.client.FriendRequestUpdate.State.RECEIVED));
    assertThat(diff).anySatisfy(u -> assertThat(u.getFriend().getFriends()).isTrue());
  }
}
