package dev.parley.client;

import static dev.parley.client.FakeMessaging.SELF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.proto.client.BlockUpdate;
import dev.parley.proto.client.EditContent;
import dev.parley.proto.client.FriendRequestUpdate;
import dev.parley.proto.client.ImageContent;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.ReadMarker;
import dev.parley.proto.client.ReadReceipt;
import dev.parley.proto.client.ServiceContent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What each kind of update does to the store and which listeners hear of it. */
class ApplyUpdatesTest extends FakeServerTest {
  static final long ALICE = 21;

  final MemorySyncStore store = new MemorySyncStore();
  long conversation;

  @BeforeEach
  void conversation() {
    conversation = server.messaging.direct(SELF, ALICE);
  }

  @Test
  void aRecallClearsTheTargetAndItsUnreadCount() {
    Messenger messenger = messenger(store);
    List<Message> recalls = new CopyOnWriteArrayList<>();
    messenger.onRecall(recalls::add);
    messenger.awaitSynced(WAIT);
    server.messaging.text(ALICE, conversation, "oops");
    server.messaging.text(ALICE, conversation, "fine");
    messenger.awaitPts(2, WAIT);
    assertThat(store.unread(conversation)).isEqualTo(2);

    Message recall = server.messaging.recall(ALICE, conversation, 1);

    messenger.awaitPts(3, WAIT);
    Message target = store.message(conversation, 1).orElseThrow();
    assertThat(target.getRecalled()).isTrue();
    assertThat(target.getContentCase()).isEqualTo(Message.ContentCase.CONTENT_NOT_SET);
    assertThat(target.getRecalledAtMs()).isEqualTo(recall.getSentAtMs());
    assertThat(store.message(conversation, 3)).contains(recall);
    assertThat(store.unread(conversation))
        .isEqualTo(1)
        .isEqualTo(server.messaging.unread(SELF, conversation));
    await().atMost(WAIT).until(() -> recalls.size() == 1);
    assertThat(recalls.getFirst().getRecall().getTargetSeq()).isEqualTo(1);
  }

  @Test
  void anEditRewritesTheStoredTarget_andAnOlderEditMetLaterDoesNot() {
    Messenger messenger = messenger(store);
    List<Message> edits = new CopyOnWriteArrayList<>();
    messenger.onEdit(edits::add);
    messenger.awaitSynced(WAIT);
    server.messaging.text(ALICE, conversation, "see you at 5");
    messenger.awaitPts(1, WAIT);

    Message first = server.messaging.edit(ALICE, conversation, 1, "see you at 6");
    messenger.awaitPts(2, WAIT);

    Message target = store.message(conversation, 1).orElseThrow();
    assertThat(target.getText().getText()).isEqualTo("see you at 6");
    assertThat(target.getEditedAtMs()).isEqualTo(first.getSentAtMs());
    assertThat(store.unread(conversation)).isEqualTo(1); // an edit is not a new message
    await().atMost(WAIT).until(() -> edits.size() == 1);
    assertThat(edits.getFirst().getEdit().getTargetSeq()).isEqualTo(1);

    Message second = server.messaging.edit(ALICE, conversation, 1, "see you at 7");
    messenger.awaitPts(3, WAIT);
    assertThat(store.message(conversation, 1).orElseThrow().getText().getText())
        .isEqualTo("see you at 7");
    // The first edit met again (history re-read) does not take the text back.
    UpdateApplier applier =
        new UpdateApplier(
            store,
            new SyncListeners("test", Runnable::run),
            request -> {
              throw new AssertionError("no history needed");
            },
            50);
    applier.self(SELF);
    applier.duplicate(first);
    assertThat(store.message(conversation, 1).orElseThrow().getEditedAtMs())
        .isEqualTo(second.getSentAtMs());
  }

  @Test
  void anEditKeepsAnImagesFileAndChangesItsCaption_andARecalledTargetStaysRecalled() {
    Message image =
        Message.newBuilder()
            .setConversationId(conversation)
            .setSeq(1)
            .setImage(ImageContent.newBuilder().setFileId("f1").setCaption("old"))
            .build();
    Message edit =
        Message.newBuilder()
            .setConversationId(conversation)
            .setSeq(2)
            .setSentAtMs(5_000)
            .setEdit(EditContent.newBuilder().setTargetSeq(1).setText("new"))
            .build();

    Message edited = UpdateApplier.edited(image, edit).orElseThrow();

    assertThat(edited.getImage().getFileId()).isEqualTo("f1");
    assertThat(edited.getImage().getCaption()).isEqualTo("new");
    assertThat(edited.getEditedAtMs()).isEqualTo(5_000);
    Message service = Message.newBuilder().setService(ServiceContent.getDefaultInstance()).build();
    assertThat(UpdateApplier.edited(service, edit)).isEmpty();
  }

  @Test
  void aRecallOfAnEntryTheDeviceNeverHeldLooksItUp() {
    server.messaging.text(ALICE, conversation, "oops");
    server.messaging.text(ALICE, conversation, "fine");
    Messenger messenger = messenger(store); // a new device: holds seq 2 only
    messenger.awaitSynced(WAIT);
    assertThat(store.unread(conversation)).isEqualTo(2);

    server.messaging.recall(ALICE, conversation, 1);

    messenger.awaitPts(3, WAIT);
    assertThat(store.unread(conversation))
        .isEqualTo(1)
        .isEqualTo(server.messaging.unread(SELF, conversation));
    assertThat(store.message(conversation, 1).orElseThrow().getRecalled()).isTrue();
    assertThat(messenger.totals().getHistory()).isEqualTo(1);
  }

  @Test
  void readMarkersFromOtherDevicesAndTheUsersOwnMessagesMoveTheReadState() {
    Messenger messenger = messenger(store);
    List<ReadMarker> markers = new CopyOnWriteArrayList<>();
    messenger.onReadMarker(markers::add);
    messenger.awaitSynced(WAIT);
    for (int i = 1; i <= 3; i++) {
      server.messaging.text(ALICE, conversation, "m" + i);
    }

    server.messaging.markRead(SELF, conversation, 2); // on another device

    messenger.awaitPts(4, WAIT);
    assertThat(store.readSeq(conversation)).isEqualTo(2);
    assertThat(store.unread(conversation)).isEqualTo(1);
    await().atMost(WAIT).until(() -> markers.size() == 1);
    assertThat(markers.getFirst().getReadSeq()).isEqualTo(2);

    Futures.await(messenger.sendText(Recipient.conversation(conversation), "caught up"));

    messenger.awaitMessage(conversation, 4, WAIT);
    assertThat(store.readSeq(conversation))
        .isEqualTo(4)
        .isEqualTo(server.messaging.readSeq(SELF, conversation));
    assertThat(store.unread(conversation)).isZero();
    assertThat(markers).hasSize(1); // implied by sending, not a marker
  }

  @Test
  void readReceiptsRecordHowFarTheOtherSideHasRead() {
    Messenger messenger = messenger(store);
    List<ReadReceipt> receipts = new CopyOnWriteArrayList<>();
    messenger.onReadReceipt(receipts::add);
    messenger.awaitSynced(WAIT);
    Futures.await(messenger.sendText(Recipient.user(ALICE), "one"));
    Futures.await(messenger.sendText(Recipient.user(ALICE), "two"));

    server.messaging.markRead(ALICE, conversation, 2);

    await().atMost(WAIT).until(() -> receipts.size() == 1);
    assertThat(receipts.getFirst().getUserId()).isEqualTo(ALICE);
    assertThat(store.memberReadSeq(conversation, ALICE)).isEqualTo(2);
    assertThat(store.conversation(conversation).orElseThrow().getPeerReadSeq()).isEqualTo(2);
  }

  @Test
  void friendAndBlockUpdatesReachTheirListeners() {
    Messenger messenger = messenger(store);
    List<FriendRequestUpdate> requests = new CopyOnWriteArrayList<>();
    List<BlockUpdate> blocks = new CopyOnWriteArrayList<>();
    messenger.onFriendRequest(requests::add);
    messenger.onBlock(blocks::add);
    messenger.awaitSynced(WAIT);

    Futures.await(messenger.connection().sendFriendRequest(ALICE, "hi"));
    Futures.await(messenger.connection().blockUser(99));

    await().atMost(WAIT).until(() -> requests.size() == 1 && blocks.size() == 1);
    assertThat(requests.getFirst().getState()).isEqualTo(FriendRequestUpdate.State.SENT);
    assertThat(requests.getFirst().getRequest().getNote()).isEqualTo("hi");
    assertThat(blocks.getFirst().getUserId()).isEqualTo(99);
    assertThat(Futures.await(messenger.connection().listBlocked()).getUserIdsList())
        .containsExactly(99L);
    assertThat(store.pts()).hasValue(2);
  }
}
