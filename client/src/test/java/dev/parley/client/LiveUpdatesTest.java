package dev.parley.client;

import static dev.parley.client.FakeMessaging.SELF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.proto.client.Event;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.Request.OpCase;
import dev.parley.proto.client.Update;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Live updates on a connection that stays up: pts order, duplicates, gaps, acks. */
class LiveUpdatesTest extends FakeServerTest {
  static final long ALICE = 21;

  MemorySyncStore store = new MemorySyncStore();
  List<Message> seen = new CopyOnWriteArrayList<>();
  long conversation;

  @BeforeEach
  void conversation() {
    conversation = server.messaging.direct(SELF, ALICE);
  }

  Messenger synced(Messenger.Builder builder) {
    Messenger messenger = attach(builder);
    messenger.onMessage(seen::add);
    messenger.connection().start();
    messenger.awaitSynced(WAIT);
    return messenger;
  }

  Messenger synced() {
    return synced(
        messengerBuilder(
            client(Encoding.PROTOBUF).newConnection(TokenStore.inMemory(server.issue())), store));
  }

  @Test
  void liveMessagesAreAppliedOnceInSeqOrder() {
    Messenger messenger = synced();

    for (int i = 1; i <= 5; i++) {
      server.messaging.text(ALICE, conversation, "m" + i);
    }

    List<Message> log = messenger.awaitMessages(conversation, 5, WAIT);
    assertThat(log)
        .extracting(m -> m.getText().getText())
        .containsExactly("m1", "m2", "m3", "m4", "m5");
    await().atMost(WAIT).until(() -> seen.size() == 5);
    assertThat(seen).extracting(Message::getSeq).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(store.pts()).hasValue(5);
    assertThat(store.lastSeq(conversation)).isEqualTo(5);
    assertThat(store.unread(conversation))
        .isEqualTo(5)
        .isEqualTo(server.messaging.unread(SELF, conversation));
    assertThat(messenger.totals().gaps()).isZero();
    assertThat(server.requestCount(OpCase.GET_DIFFERENCE)).isEqualTo(1); // the first catch-up only
  }

  @Test
  void duplicateLiveUpdatesAreIgnored() throws Exception {
    Messenger messenger = synced();
    FakeSocket socket = server.sockets.getFirst();
    server.messaging.text(ALICE, conversation, "once");
    messenger.awaitPts(1, WAIT);

    Update first = server.messaging.feed(SELF).getFirst();
    socket.event(Event.newBuilder().setUpdate(first).build());
    socket.event(Event.newBuilder().setUpdate(first).build());
    server.messaging.text(ALICE, conversation, "twice");

    messenger.awaitPts(2, WAIT);
    await().atMost(WAIT).until(() -> seen.size() == 2);
    assertThat(seen).extracting(m -> m.getText().getText()).containsExactly("once", "twice");
    assertThat(messenger.totals().duplicates()).isEqualTo(2);
    assertThat(store.unread(conversation)).isEqualTo(2);
  }

  @Test
  void outOfOrderLiveUpdatesAreAppliedInPtsOrder() {
    // A gap wait far longer than the test: the reordering must be resolved without get_difference.
    Messenger messenger =
        synced(
            messengerBuilder(
                    client(Encoding.JSON).newConnection(TokenStore.inMemory(server.issue())), store)
                .gapWait(Duration.ofSeconds(30)));
    server.messaging.deliverIf = update -> false;
    for (int i = 1; i <= 3; i++) {
      server.messaging.text(ALICE, conversation, "m" + i);
    }
    List<Update> feed = server.messaging.feed(SELF);
    FakeSocket socket = server.sockets.getFirst();

    for (int pts : new int[] {3, 1, 2}) {
      socket.event(Event.newBuilder().setUpdate(feed.get(pts - 1)).build());
    }

    messenger.awaitPts(3, WAIT);
    await().atMost(WAIT).until(() -> seen.size() == 3);
    assertThat(seen).extracting(m -> m.getText().getText()).containsExactly("m1", "m2", "m3");
    assertThat(messenger.totals().gaps()).isZero();
    assertThat(server.requestCount(OpCase.GET_DIFFERENCE)).isEqualTo(1);
  }

  @Test
  void aGapThatOutlastsTheGapWaitIsRepairedWithGetDifference() {
    Messenger messenger = synced();
    server.messaging.deliverIf = update -> update.getPts() != 2; // lost on the way

    for (int i = 1; i <= 3; i++) {
      server.messaging.text(ALICE, conversation, "m" + i);
    }

    messenger.awaitPts(3, WAIT);
    await().atMost(WAIT).until(() -> seen.size() == 3);
    assertThat(seen).extracting(m -> m.getText().getText()).containsExactly("m1", "m2", "m3");
    assertThat(messenger.totals().gaps()).isEqualTo(1);
    assertThat(server.requestCount(OpCase.GET_DIFFERENCE)).isEqualTo(2);
    assertThat(messenger.totals().getHistory()).isZero();
    await().atMost(WAIT).until(() -> server.messaging.lastAck() == 3);
  }

  @Test
  void aConversationSeqGapIsFilledFromHistoryBeforeTheNewerEntry() {
    Messenger messenger = synced();
    server.messaging.text(ALICE, conversation, "m1");
    messenger.awaitPts(1, WAIT);
    // The update of m2 no longer exists: get_difference skips its pts, so only the seqs show the
    // hole.
    server.messaging.deliverIf = update -> update.getMessage().getSeq() != 2;
    Message m2 = server.messaging.text(ALICE, conversation, "m2");
    server.messaging.leaveOut(SELF, 2);

    server.messaging.text(ALICE, conversation, "m3");

    messenger.awaitPts(3, WAIT);
    await().atMost(WAIT).until(() -> seen.size() == 3);
    assertThat(seen).extracting(m -> m.getText().getText()).containsExactly("m1", "m2", "m3");
    assertThat(store.message(conversation, 2)).contains(m2);
    assertThat(messenger.totals().getHistory()).isEqualTo(1);
    assertThat(store.unread(conversation)).isEqualTo(3);
  }

  @Test
  void acksAreDebouncedAndEndAtTheLastAppliedPts() {
    Messenger messenger =
        synced(
            messengerBuilder(
                    client(Encoding.PROTOBUF).newConnection(TokenStore.inMemory(server.issue())),
                    store)
                .ackInterval(Duration.ofMillis(300)));

    for (int i = 1; i <= 20; i++) {
      server.messaging.text(ALICE, conversation, "m" + i);
    }

    messenger.awaitPts(20, WAIT);
    await().atMost(WAIT).until(() -> server.messaging.lastAck() == 20);
    assertThat(server.messaging.acks)
        .hasSizeLessThanOrEqualTo(3)
        .isSorted()
        .doesNotHaveDuplicates();
    await()
        .during(Duration.ofMillis(400))
        .atMost(WAIT)
        .until(() -> server.messaging.lastAck() == 20);
  }
}
