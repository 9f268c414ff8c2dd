package dev.parley.client;

import static dev.parley.client.FakeMessaging.SELF;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.proto.client.Event;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.ReadMarker;
import dev.parley.proto.client.Update;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Unread counts stay equal to the server's although read markers (feed) and group entries (logs)
 * reach the device in two orders (UnreadCounter, ReadMarker.last_seq).
 */
class GroupUnreadTest extends SyncingTest {
  long group;
  Messenger messenger;

  @BeforeEach
  void aGroupTheDeviceIsIn() {
    group = server.messaging.group("team", ALICE, List.of(SELF, BOB));
    messenger = start(builder(store));
  }

  /** The store's count is {@code expected}, the server's too, and the other sync fields agree. */
  void assertUnread(int expected) {
    assertThat(store.unread(group))
        .isEqualTo(expected)
        .isEqualTo(server.messaging.unread(SELF, group));
    assertConsistent(group);
  }

  @Test
  void aMarkerCountedAheadOfTheEntriesHeldDoesNotCountThemAgain() {
    away(
        messenger,
        () -> {
          for (int i = 2; i <= 6; i++) {
            server.messaging.text(ALICE, group, "m" + i);
          }
          server.messaging.markRead(SELF, group, 4); // on another device
          server.messaging.text(ALICE, group, "m7");
          server.messaging.text(ALICE, group, "m8");
        }); // the feed loop applies the marker before sync_groups brings 2..8

    ReadMarker marker = server.messaging.feed(SELF).getLast().getReadMarker();
    assertThat(marker.getLastSeq()).isEqualTo(6);
    assertThat(marker.getUnreadCount()).isEqualTo(2);
    assertUnread(4);
  }

  @Test
  void entriesDeliveredBeforeAnOlderMarkerAreAddedToItsCount() {
    for (int i = 2; i <= 4; i++) {
      server.messaging.text(ALICE, group, "m" + i);
    }
    messenger.awaitMessage(group, 4, WAIT);
    server.messaging.deliverIf = update -> !update.hasReadMarker(); // the marker is late
    server.messaging.markRead(SELF, group, 3); // counted at 4
    server.messaging.text(ALICE, group, "m5");
    server.messaging.text(ALICE, group, "m6");
    server.messaging.recall(ALICE, group, 4); // counted by the marker, recalled after it
    Message lastRecall =
        server.messaging.recall(ALICE, group, 2); // below the marker: never counted
    messenger.awaitMessage(group, lastRecall.getSeq(), WAIT);
    server.messaging.deliverIf = update -> true;

    reconnect(messenger);

    assertThat(store.readSeq(group)).isEqualTo(3);
    assertUnread(2);
  }

  @Test
  void aMessageAMarkerCountedIsSubtractedByItsRecallEvenIfItArrivesRecalled() {
    away(
        messenger,
        () -> {
          server.messaging.text(ALICE, group, "m2");
          server.messaging.text(ALICE, group, "m3");
          server.messaging.markRead(SELF, group, 2); // counts 3
          server.messaging.recall(
              ALICE, group, 3); // after the count: sync_groups brings 3 recalled, then the recall
          server.messaging.text(ALICE, group, "m5");
        });

    assertThat(store.message(group, 3).orElseThrow().getRecalled()).isTrue();
    assertUnread(1);
  }

  @Test
  void aMessageThatArrivesRecalledWasNeverCountedSoItsRecallSubtractsNothing() {
    away(
        messenger,
        () -> {
          server.messaging.text(ALICE, group, "m2");
          server.messaging.text(ALICE, group, "m3");
          server.messaging.recall(ALICE, group, 2);
        });

    assertUnread(1);
  }

  @Test
  void theUsersOwnOlderMessageDoesNotClearACountThatALaterMarkerMade() {
    away(
        messenger,
        () -> {
          server.messaging.text(ALICE, group, "m2");
          Futures.await(
              messenger.sendText(Recipient.conversation(group), "mine")); // seq 3, read up to it
          server.messaging.text(ALICE, group, "m4");
          server.messaging.text(ALICE, group, "m5");
          server.messaging.markRead(SELF, group, 4); // on another device: one unread (5)
        }); // the marker first, then 2..5 from the group's log

    assertUnread(1);
  }

  @Test
  void aMarkerFromAServerBeforeVersion2IsTakenAsCurrent() {
    for (int i = 2; i <= 4; i++) {
      server.messaging.text(ALICE, group, "m" + i);
    }
    messenger.awaitMessage(group, 4, WAIT);
    long pts =
        server.messaging.head(SELF) + 1; // the next feed position, as an older server's marker
    server
        .sockets
        .getLast()
        .event(
            Event.newBuilder()
                .setUpdate(
                    Update.newBuilder()
                        .setPts(pts)
                        .setReadMarker(
                            ReadMarker.newBuilder()
                                .setConversationId(group)
                                .setReadSeq(3)
                                .setUnreadCount(1)))
                .build());
    messenger.awaitPts(pts, WAIT);

    Message next = server.messaging.text(ALICE, group, "m5");

    messenger.awaitMessage(group, next.getSeq(), WAIT);
    assertThat(store.readSeq(group)).isEqualTo(3);
    assertThat(store.unread(group)).isEqualTo(2); // 4, counted by the marker at the seq held, and 5
  }

  /**
   * Messages from two others, the user's own sends, reads on another device, recalls, lost live
   * updates and reconnects, in a random order: afterwards the device agrees with the server.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4})
  void unreadCountsEqualTheServersAfterInterleavedMarkersAndGroupEntries(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Long> alices = new ArrayList<>();
    for (int step = 0; step < 60; step++) {
      int dice = random.nextInt(100);
      long head = server.messaging.summary(SELF, group).getLastSeq();
      if (dice < 45) {
        long sender = random.nextBoolean() ? ALICE : BOB;
        Message m = server.messaging.text(sender, group, "s" + step);
        if (sender == ALICE) {
          alices.add(m.getSeq());
        }
      } else if (dice < 60) {
        server.messaging.markRead(SELF, group, 1 + random.nextLong(head));
      } else if (dice < 70 && !alices.isEmpty()) {
        server.messaging.recall(ALICE, group, alices.remove(random.nextInt(alices.size())));
      } else if (dice < 78) {
        Futures.await(messenger.sendText(Recipient.conversation(group), "mine " + step));
      } else if (dice < 93) {
        int dropGroupEntries = random.nextInt(3); // 0: none lost; 1: some; 2: all
        boolean dropMarkers = random.nextBoolean();
        long salt = random.nextLong();
        server.messaging.deliverIf =
            update -> {
              if (update.hasReadMarker()) {
                return !dropMarkers;
              }
              return update.getPts() > 0
                  || dropGroupEntries == 0
                  || (dropGroupEntries == 1 && (update.getMessage().getSeq() ^ salt) % 3 != 0);
            };
      } else {
        reconnect(messenger);
      }
    }
    server.messaging.deliverIf = update -> true;
    reconnect(messenger);

    long head = server.messaging.summary(SELF, group).getLastSeq();
    messenger.awaitMessage(group, head, WAIT);
    messenger.awaitPts(server.messaging.head(SELF), WAIT);
    assertThat(store.messages(group)).isEqualTo(server.messaging.log(group));
    assertConsistent(group);
  }
}
