package dev.parley.client;

import static dev.parley.client.FakeMessaging.SELF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.proto.client.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Synchronizing after being away: difference, rebuild, too_long, several devices. */
class CatchUpTest extends SyncingTest {

  @Test
  void catchUpAfterAReconnectAppliesEverythingOnceWithBoundedRequests() {
    long direct = server.messaging.direct(SELF, ALICE);
    long group = server.messaging.group("team", BOB, List.of(SELF, ALICE));
    Messenger messenger = start(builder(store).differenceLimit(4).syncGroupsLimit(4));
    server.messaging.text(ALICE, direct, "before");
    messenger.awaitPts(server.messaging.head(SELF), WAIT);

    server.messaging.deliverIf = update -> false; // away: nothing arrives live
    for (int i = 1; i <= 10; i++) {
      server.messaging.text(ALICE, direct, "d" + i);
      server.messaging.text(i % 2 == 0 ? ALICE : BOB, group, "g" + i);
    }
    server.messaging.markRead(SELF, direct, 5); // on another device
    server.messaging.deliverIf = update -> true;
    reconnect(messenger);

    SyncStats cost = messenger.lastCatchUp();
    assertThat(cost.updates()).isEqualTo(21);
    assertThat(cost.getDifference())
        .isEqualTo(3); // 11 feed updates (direct messages, the marker), 4 per page
    assertThat(cost.syncGroups()).isEqualTo(3); // 10 entries of the group's log, 4 per answer
    assertThat(cost.getState() + cost.getConversations() + cost.getHistory()).isZero();
    assertThat(cost.rebuilt()).isFalse();
    assertThat(store.messages(direct)).isEqualTo(server.messaging.log(direct));
    assertThat(store.messages(group)).isEqualTo(server.messaging.log(group));
    assertConsistent(direct, group);
    await().atMost(WAIT).until(() -> seen.size() == 21);
    assertDeliveredOnceInOrder(seen);
    assertThat(seen.stream().filter(m -> m.getConversationId() == group).map(Message::getSeq))
        .containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L); // seq 1 is in the baseline
    await().atMost(WAIT).until(() -> synced.size() == 2);
    await().atMost(WAIT).until(() -> server.messaging.lastAck() == server.messaging.head(SELF));
  }

  @Test
  void aNewDeviceRebuildsFromTheConversationListAndThenFollowsTheFeed() {
    List<Long> conversations = new ArrayList<>();
    for (long user = 30; user < 35; user++) {
      long c = server.messaging.direct(SELF, user);
      conversations.add(c);
      server.messaging.text(user, c, "hello from " + user);
      server.messaging.text(user, c, "are you there?");
    }
    server.messaging.markRead(SELF, conversations.getFirst(), 1);

    Messenger messenger = start(builder(store).conversationPageSize(2));

    SyncStats cost = messenger.lastCatchUp();
    assertThat(cost.rebuilt())
        .as("%s, %d catch-ups, totals %s", cost, messenger.catchUps(), messenger.totals())
        .isTrue();
    assertThat(cost.getState()).isEqualTo(1);
    assertThat(cost.getConversations()).isEqualTo(3);
    assertThat(cost.getDifference()).isEqualTo(1);
    assertThat(store.pts()).hasValue(server.messaging.head(SELF));
    assertConsistent(conversations.stream().mapToLong(Long::longValue).toArray());
    assertThat(store.conversations()).hasSize(5);
    assertThat(store.messages(conversations.getFirst()))
        .extracting(Message::getSeq)
        .containsExactly(2L);
    assertThat(seen).isEmpty(); // the baselines are not news

    server.messaging.text(30, conversations.getFirst(), "news");
    assertThat(messenger.awaitMessage(conversations.getFirst(), 3, WAIT).getText().getText())
        .isEqualTo("news");
    await().atMost(WAIT).until(() -> seen.size() == 1);
    assertThat(store.unread(conversations.getFirst())).isEqualTo(2);
  }

  @Test
  void tooLongDropsTheLocalStateAndRebuilds() {
    long direct = server.messaging.direct(SELF, ALICE);
    Messenger messenger = start(builder(store));
    server.messaging.text(ALICE, direct, "m1");
    messenger.awaitPts(1, WAIT);

    server.messaging.deliverIf = update -> false;
    for (int i = 2; i <= 6; i++) {
      server.messaging.text(ALICE, direct, "m" + i);
    }
    server.messaging.trim(SELF, 4); // pts 2 and 3 are gone: the device at pts 1 is too far behind
    server.messaging.deliverIf = update -> true;
    reconnect(messenger);

    SyncStats cost = messenger.lastCatchUp();
    assertThat(cost.rebuilt()).isTrue();
    assertThat(cost.getState()).isEqualTo(1);
    assertThat(cost.getDifference())
        .isEqualTo(2); // too_long, then the empty difference after the rebuild
    await().atMost(WAIT).until(() -> synced.size() == 2);
    assertThat(synced.getLast().rebuilt()).isTrue();
    assertThat(store.pts()).hasValue(6);
    assertThat(store.messages(direct))
        .extracting(Message::getSeq)
        .containsExactly(6L); // the baseline
    assertConsistent(direct);

    server.messaging.text(ALICE, direct, "m7");
    messenger.awaitMessage(direct, 7, WAIT);
    assertThat(store.unread(direct)).isEqualTo(7);
  }

  @Test
  void twoDevicesThatKeepReconnectingConvergeWithTheServer() {
    long direct = server.messaging.direct(SELF, ALICE);
    long group = server.messaging.group("team", ALICE, List.of(SELF, BOB));
    MemorySyncStore otherStore = new MemorySyncStore();
    List<Message> otherSeen = new CopyOnWriteArrayList<>();
    Messenger first = start(builder(store));
    Messenger second = attach(builder(otherStore));
    second.onMessage(otherSeen::add);
    second.connection().start();
    second.awaitSynced(WAIT);

    for (int round = 0; round < 4; round++) {
      second.connection().reconnect(); // races with the messages below
      for (int i = 0; i < 10; i++) {
        server.messaging.text(i % 3 == 0 ? ALICE : BOB, group, "g" + round + "." + i);
        if (i % 2 == 0) {
          server.messaging.text(ALICE, direct, "d" + round + "." + i);
        }
      }
      server.messaging.markRead(SELF, group, 3 + round * 10L);
      first.connection().reconnect();
    }

    long head = server.messaging.head(SELF);
    long groupHead = server.messaging.summary(SELF, group).getLastSeq();
    for (Messenger device : List.of(first, second)) {
      device.awaitPts(head, WAIT);
      device.awaitMessage(
          group, groupHead, WAIT); // the group's log is followed apart from the feed
    }
    for (MemorySyncStore s : List.of(store, otherStore)) {
      assertThat(s.messages(direct)).isEqualTo(server.messaging.log(direct));
      assertThat(s.messages(group)).isEqualTo(server.messaging.log(group));
    }
    assertConsistent(direct, group);
    assertThat(otherStore.conversations()).isEqualTo(store.conversations());
    await().atMost(WAIT).until(() -> seen.size() == 60 && otherSeen.size() == 60);
    assertDeliveredOnceInOrder(seen);
    assertDeliveredOnceInOrder(otherSeen);
  }
}
