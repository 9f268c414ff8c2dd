package dev.parley.client;

import static dev.parley.client.FakeMessaging.SELF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.ConversationType;
import dev.parley.proto.client.Event;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.Request.OpCase;
import dev.parley.proto.client.Response;
import dev.parley.proto.client.SyncGroupsRequest;
import dev.parley.proto.client.TextContent;
import dev.parley.proto.client.Update;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Following the group logs (protocol version 2): sync_groups, live entries without pts, membership.
 */
class GroupSyncTest extends SyncingTest {

  @Test
  void aDeviceReconnectingInTheMiddleOfAGroupBurstGetsEveryEntryOnceInOrder() {
    long group = server.messaging.group("burst", ALICE, List.of(SELF, BOB));
    Messenger messenger = start(builder(store).syncGroupsLimit(20));
    server.messaging.deliverIf = update -> false; // away while the burst starts
    for (int i = 1; i <= 100; i++) {
      server.messaging.text(i % 2 == 0 ? ALICE : BOB, group, "b" + i);
    }
    // The burst goes on while the device catches up (each sync_groups request lets 10 more entries
    // in,
    // which arrive live), and the connection dies in the middle of the third request.
    AtomicInteger syncs = new AtomicInteger();
    server.handler =
        (socket, request) -> {
          if (!request.hasSyncGroups()) {
            return FakeServer.answer(socket, request);
          }
          int n = syncs.incrementAndGet();
          if (n <= 6) {
            for (int i = 0; i < 10; i++) {
              server.messaging.text(ALICE, group, "during " + n + "." + i);
            }
          }
          if (n == 3) {
            socket.drop();
            return null;
          }
          return FakeServer.answer(socket, request);
        };
    server.messaging.deliverIf = update -> true;

    messenger.connection().reconnect();

    await()
        .atMost(WAIT)
        .until(() -> syncs.get() >= 6 && store.lastSeq(group) == 161); // 1 + 100 + 6 * 10
    assertThat(store.messages(group)).isEqualTo(server.messaging.log(group));
    await().atMost(WAIT).until(() -> seenSeqs(group).size() == 160);
    assertDeliveredOnceInOrder(seen);
    assertThat(seenSeqs(group))
        .containsExactlyElementsOf(LongStream.rangeClosed(2, 161).boxed().toList());
    assertConsistent(group);
  }

  @Test
  void aLiveGroupGapIsRepairedWithSyncGroupsForThatGroup() {
    long group = server.messaging.group("team", ALICE, List.of(SELF));
    long other = server.messaging.group("other", BOB, List.of(SELF));
    Messenger messenger = start(builder(store));
    int requestsBefore = server.messaging.syncGroupsRequests.size();
    server.messaging.deliverIf = update -> update.getMessage().getSeq() != 3; // lost on the way

    for (int i = 2; i <= 5; i++) {
      server.messaging.text(ALICE, group, "m" + i);
    }

    messenger.awaitMessage(group, 5, WAIT);
    await().atMost(WAIT).until(() -> seenSeqs(group).size() == 4);
    assertThat(seenSeqs(group)).containsExactly(2L, 3L, 4L, 5L);
    assertThat(messenger.totals().gaps()).isEqualTo(1);
    assertThat(server.messaging.syncGroupsRequests).hasSize(requestsBefore + 1);
    SyncGroupsRequest repair = server.messaging.syncGroupsRequests.getLast();
    assertThat(repair.getConversationIdsList()).containsExactly(group); // not `other`
    assertThat(repair.getSeqsList()).containsExactly(2L);
    assertThat(server.requestCount(OpCase.GET_DIFFERENCE)).isEqualTo(1); // the first catch-up only
    assertThat(store.lastSeq(other)).isEqualTo(1);
    assertConsistent(group);
  }

  @Test
  void aDeviceAddedToAGroupWhileOfflineLearnsItFromTheFeedAndSyncsIt() {
    Messenger messenger = start(builder(store));
    long group =
        server.messaging.group("club", ALICE, List.of(BOB)); // before the device hears of it: away
    away(
        messenger,
        () -> {
          for (int i = 2; i <= 6; i++) {
            server.messaging.text(i % 2 == 0 ? ALICE : BOB, group, "before " + i);
          }
          server.messaging.invite(ALICE, group, List.of(SELF)); // seq 7
          for (int i = 8; i <= 10; i++) {
            server.messaging.text(BOB, group, "after " + i);
          }
          server.messaging.rename(ALICE, group, "the club");
        });

    assertThat(store.messages(group)).isEqualTo(server.messaging.visibleLog(SELF, group));
    await().atMost(WAIT).until(() -> seenSeqs(group).size() == 5);
    assertThat(seenSeqs(group))
        .containsExactly(7L, 8L, 9L, 10L, 11L); // nothing from before the user joined
    Conversation summary = store.conversation(group).orElseThrow();
    assertThat(summary.getType()).isEqualTo(ConversationType.CONVERSATION_TYPE_GROUP);
    assertThat(summary.getTitle()).isEqualTo("the club");
    assertThat(summary.getLeft()).isFalse();
    assertThat(summary.getFirstVisibleSeq()).isEqualTo(7);
    assertConsistent(group);
    assertThat(store.unread(group)).isEqualTo(3);
  }

  @Test
  void aGroupJoinedWhileOnlineIsFollowedAtOnce() {
    Messenger messenger = start(builder(store));
    int requests = server.messaging.syncGroupsRequests.size();

    long created =
        server.messaging.group(
            "with me", ALICE, List.of(SELF)); // GROUP_CREATED: seq 1, in the feed
    messenger.awaitMessage(created, 1, WAIT);

    assertThat(server.messaging.syncGroupsRequests)
        .hasSize(requests); // seq 1 continues held 0: nothing to ask
    long joined = server.messaging.group("without me", ALICE, List.of(BOB));
    server.messaging.text(BOB, joined, "before");
    Message added = server.messaging.invite(ALICE, joined, List.of(SELF));

    messenger.awaitMessage(joined, added.getSeq(), WAIT);
    assertThat(server.messaging.syncGroupsRequests).hasSize(requests + 1);
    assertThat(server.messaging.syncGroupsRequests.getLast().getSeqsList()).containsExactly(0L);
    assertThat(store.messages(joined)).containsExactly(added);
    assertConsistent(created, joined);
  }

  @Test
  void aRemovedMemberGetsEntriesUpToTheRemovalAndNothingLater() {
    long group = server.messaging.group("team", ALICE, List.of(SELF, BOB));
    Messenger messenger = start(builder(store));
    away(
        messenger,
        () -> {
          server.messaging.text(BOB, group, "still here");
          server.messaging.remove(ALICE, group, SELF); // seq 3
          server.messaging.text(BOB, group, "gone");
        });

    assertThat(store.messages(group)).extracting(Message::getSeq).containsExactly(1L, 2L, 3L);
    assertThat(store.messages(group).getLast().getService().getUserIdsList()).containsExactly(SELF);
    Conversation summary = store.conversation(group).orElseThrow();
    assertThat(summary.getLeft()).isTrue();
    assertThat(summary.getLastVisibleSeq()).isEqualTo(3);
    assertConsistent(group);

    server.messaging.text(BOB, group, "later");
    int requests = server.messaging.syncGroupsRequests.size();
    reconnect(messenger);

    assertThat(store.lastSeq(group)).isEqualTo(3);
    assertNotListedSince(requests, group);
    await().atMost(WAIT).until(() -> seenSeqs(group).size() == 2);
    assertThat(seenSeqs(group)).containsExactly(2L, 3L);
  }

  @Test
  void aMemberRemovedLiveIgnoresEntriesBeyondTheRemoval() throws Exception {
    long group = server.messaging.group("team", ALICE, List.of(SELF, BOB));
    Messenger messenger = start(builder(store));
    Message removal = server.messaging.remove(ALICE, group, SELF);
    messenger.awaitMessage(group, removal.getSeq(), WAIT);

    Message beyond =
        Message.newBuilder()
            .setConversationId(group)
            .setSeq(removal.getSeq() + 1)
            .setSenderId(BOB)
            .setText(TextContent.newBuilder().setText("not for you"))
            .build();
    server
        .sockets
        .getLast()
        .event(Event.newBuilder().setUpdate(Update.newBuilder().setMessage(beyond)).build());
    server.messaging.text(BOB, group, "not sent to a former member");
    Message later =
        server.messaging.text(ALICE, server.messaging.direct(SELF, ALICE), "after the removal");

    messenger.awaitMessage(
        later.getConversationId(), later.getSeq(), WAIT); // the events before it were handled
    assertThat(store.lastSeq(group)).isEqualTo(removal.getSeq());
    assertThat(store.conversation(group).orElseThrow().getLeft()).isTrue();
    assertThat(messenger.totals().gaps()).isZero();
    assertConsistent(group);
  }

  @Test
  void aDisbandedGroupEndsAtItsLastEntry() {
    long group = server.messaging.group("team", ALICE, List.of(SELF));
    Messenger messenger = start(builder(store));

    Message disbanded = server.messaging.disband(ALICE, group);

    messenger.awaitMessage(group, disbanded.getSeq(), WAIT);
    Conversation summary = store.conversation(group).orElseThrow();
    assertThat(summary.getDisbanded()).isTrue();
    assertThat(summary.getLeft()).isTrue();
    assertThat(summary.getLastVisibleSeq()).isEqualTo(disbanded.getSeq());
    int requests = server.messaging.syncGroupsRequests.size();
    reconnect(messenger);
    assertNotListedSince(requests, group);
  }

  @Test
  void aLiveEntryOfAGroupNotKnownYetIsSyncedFromTheUsersFirstVisibleEntry() {
    Messenger messenger = start(builder(store));
    // The feed update that adds the user is late; the group's own entries arrive live first.
    server.messaging.deliverIf = update -> update.getPts() == 0;
    long group = server.messaging.group("late", ALICE, List.of(BOB));
    server.messaging.text(ALICE, group, "before");
    Message added = server.messaging.invite(ALICE, group, List.of(SELF));
    server.messaging.text(BOB, group, "one");
    Message last = server.messaging.text(BOB, group, "two");

    messenger.awaitMessage(group, last.getSeq(), WAIT);

    assertThat(store.messages(group))
        .extracting(Message::getSeq)
        .containsExactly(added.getSeq(), 4L, 5L);
    SyncGroupsRequest repair = server.messaging.syncGroupsRequests.getLast();
    assertThat(repair.getConversationIdsList()).containsExactly(group);
    assertThat(repair.getSeqsList())
        .containsExactly(0L); // the server starts at the first visible entry
    assertThat(messenger.totals().gaps()).isEqualTo(1);

    server.messaging.deliverIf = update -> true;
    reconnect(messenger); // the feed brings the MEMBERS_ADDED entry again: a duplicate

    await().atMost(WAIT).until(() -> seenSeqs(group).size() == 3);
    assertThat(seenSeqs(group)).containsExactly(3L, 4L, 5L);
    assertDeliveredOnceInOrder(seen);
    assertConsistent(group);
  }

  @Test
  void syncGroupsPagesBySplittingTheListAndByTheAnswerLimitAndSkipsWhatRetentionDeleted() {
    List<Long> groups = new ArrayList<>();
    for (int g = 0; g < 5; g++) {
      groups.add(server.messaging.group("g" + g, ALICE, List.of(SELF)));
    }
    Messenger messenger = start(builder(store).syncGroupsLimit(5).groupsPerRequest(2));
    server.messaging.deliverIf = update -> false;
    for (long group : groups) {
      for (int i = 2; i <= 8; i++) {
        server.messaging.text(ALICE, group, "m" + i);
      }
    }
    server.messaging.forgetEntries(
        groups.getFirst(), 4); // retention: seqs 2..4 of the first group are gone
    server.messaging.deliverIf = update -> true;
    int requestsBefore = server.messaging.syncGroupsRequests.size();

    reconnect(messenger);

    for (long group : groups) {
      assertThat(store.lastSeq(group)).isEqualTo(8);
      assertThat(store.messages(group)).containsAll(server.messaging.log(group));
    }
    await().atMost(WAIT).until(() -> seenSeqs(groups.getFirst()).size() == 4);
    assertThat(seenSeqs(groups.getFirst())).containsExactly(5L, 6L, 7L, 8L);
    List<SyncGroupsRequest> requests =
        server.messaging.syncGroupsRequests.subList(
            requestsBefore, server.messaging.syncGroupsRequests.size());
    assertThat(requests)
        .allSatisfy(
            r -> {
              assertThat(r.getConversationIdsCount()).isBetween(1, 2);
              assertThat(r.getLimit()).isEqualTo(5);
            });
    // 32 entries in three lists of at most two groups (the store's order: most recently active
    // first),
    // five per answer: [g4 g3] 3 answers (5+0, 2+3, 4), [g2 g1] 3 answers (5+0, 2+3, 4), [g0] 1
    // answer
    // (4: seqs 2..4 were deleted).
    assertThat(messenger.lastCatchUp().syncGroups()).isEqualTo(requests.size()).isEqualTo(7);
    assertThat(messenger.lastCatchUp().updates()).isEqualTo(32);
  }

  @Test
  void aListedConversationTheUserNeverBelongedToIsForgotten() {
    store.savePts(0);
    store.saveConversation(
        Conversation.newBuilder()
            .setConversationId(999)
            .setType(ConversationType.CONVERSATION_TYPE_GROUP)
            .setLastSeq(3)
            .build());
    Messenger messenger = start(builder(store));

    SyncGroupsRequest listed = server.messaging.syncGroupsRequests.getLast();
    assertThat(listed.getConversationIdsList()).containsExactly(999L);
    assertThat(listed.getSeqsList()).containsExactly(3L);
    assertThat(store.conversation(999)).hasValueSatisfying(c -> assertThat(c.getLeft()).isTrue());
    int requests = server.messaging.syncGroupsRequests.size();

    reconnect(messenger);

    assertThat(server.messaging.syncGroupsRequests)
        .hasSize(requests); // nothing left to follow: no request
  }

  @Test
  void aServerThatSaysMoreWithoutProgressFailsTheCatchUpInsteadOfSpinning() {
    long group = server.messaging.group("team", ALICE, List.of(SELF));
    Messenger messenger = start(builder(store));
    server.messaging.deliverIf = update -> false;
    server.messaging.text(ALICE, group, "stuck");
    server.handler =
        (socket, request) -> {
          Response answer = FakeServer.answer(socket, request);
          if (request.hasSyncGroups()) { // a broken server: more, but nothing moved
            answer =
                answer.toBuilder()
                    .setSyncGroups(
                        answer.getSyncGroups().toBuilder()
                            .clearMessages()
                            .clearGroups()
                            .setMore(true))
                    .build();
          }
          return answer;
        };

    messenger.connection().reconnect();

    await().atMost(WAIT).until(() -> server.requestCount(OpCase.SYNC_GROUPS) >= 4);
    assertThat(messenger.isSynced()).isFalse();
    assertThat(store.lastSeq(group)).isEqualTo(1);
    server.handler = FakeServer::answer; // the server recovers: the retry with back-off catches up
    messenger.awaitMessage(group, 2, WAIT);
    messenger.awaitSynced(WAIT);
  }

  /** No sync_groups request after the first {@code requests} listed the conversation. */
  void assertNotListedSince(int requests, long conversationId) {
    List<SyncGroupsRequest> since =
        server.messaging.syncGroupsRequests.subList(
            requests, server.messaging.syncGroupsRequests.size());
    assertThat(since).noneMatch(r -> r.getConversationIdsList().contains(conversationId));
  }
}
