package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.TextContent;
import org.junit.jupiter.api.Test;

class MemorySyncStoreTest {
  final MemorySyncStore store = new MemorySyncStore();

  static Message entry(long conversation, long seq, String text) {
    return Message.newBuilder()
        .setConversationId(conversation)
        .setSeq(seq)
        .setText(TextContent.newBuilder().setText(text))
        .build();
  }

  @Test
  void entriesAreKeyedByConversationAndSeqAndListedInSeqOrder() {
    store.saveMessage(entry(1, 3, "c"));
    store.saveMessage(entry(1, 1, "a"));
    store.saveMessage(entry(2, 1, "other"));
    store.saveMessage(entry(1, 3, "c again"));

    assertThat(store.messages(1))
        .extracting(m -> m.getText().getText())
        .containsExactly("a", "c again");
    assertThat(store.messageCount(1)).isEqualTo(2);
    assertThat(store.message(1, 2)).isEmpty();
    assertThat(store.messages(3)).isEmpty();
  }

  @Test
  void memberReadSeqsOnlyMoveForward() {
    store.saveMemberReadSeq(1, 7, 5);
    store.saveMemberReadSeq(1, 7, 3);

    assertThat(store.memberReadSeq(1, 7)).isEqualTo(5);
    assertThat(store.memberReadSeq(1, 8)).isZero();
  }

  @Test
  void conversationsAreListedMostRecentFirstWithTheirShortcuts() {
    store.saveConversation(
        Conversation.newBuilder()
            .setConversationId(1)
            .setLastActivityMs(10)
            .setLastSeq(4)
            .setReadSeq(2)
            .setUnreadCount(2)
            .build());
    store.saveConversation(
        Conversation.newBuilder()
            .setConversationId(2)
            .setLastActivityMs(20)
            .setUnreadCount(1)
            .build());

    assertThat(store.conversations())
        .extracting(Conversation::getConversationId)
        .containsExactly(2L, 1L);
    assertThat(store.lastSeq(1)).isEqualTo(4);
    assertThat(store.readSeq(1)).isEqualTo(2);
    assertThat(store.unread(1)).isEqualTo(2);
    assertThat(store.totalUnread()).isEqualTo(3);
    assertThat(store.lastSeq(9)).isZero();
  }

  @Test
  void unreadCountedToIsKeptPerConversationAndMayGoDown() {
    assertThat(store.unreadCountedTo(1)).isZero();
    store.saveUnreadCountedTo(1, 9);
    store.saveUnreadCountedTo(1, 4); // the user's own message restarts the count

    assertThat(store.unreadCountedTo(1)).isEqualTo(4);
    assertThat(store.unreadCountedTo(2)).isZero();
  }

  static SendMessageRequest send(String clientMsgId, String text) {
    return SendMessageRequest.newBuilder()
        .setConversationId(1)
        .setClientMsgId(clientMsgId)
        .setText(TextContent.newBuilder().setText(text))
        .build();
  }

  @Test
  void pendingSendsAreKeyedByClientMsgIdInTheOrderFirstSaved() {
    store.savePendingSend(send("a", "first"));
    store.savePendingSend(send("b", "second"));
    store.savePendingSend(send("a", "first, edited"));

    assertThat(store.pendingSends())
        .containsExactly(send("a", "first, edited"), send("b", "second"));

    store.removePendingSend("a");
    store.removePendingSend("unknown");

    assertThat(store.pendingSends()).containsExactly(send("b", "second"));
  }

  @Test
  void clearForgetsEverythingSynchronizedIncludingPtsButNotTheOutbox() {
    assertThat(store.pts()).isEmpty();
    store.savePts(0);
    assertThat(store.pts()).hasValue(0);
    store.saveMessage(entry(1, 1, "a"));
    store.saveConversation(Conversation.newBuilder().setConversationId(1).build());
    store.saveUnreadCountedTo(1, 3);
    store.savePendingSend(send("a", "unsent"));

    store.clear();

    assertThat(store.pts()).isEmpty();
    assertThat(store.conversations()).isEmpty();
    assertThat(store.messages(1)).isEmpty();
    assertThat(store.unreadCountedTo(1)).isZero();
    assertThat(store.pendingSends())
        .containsExactly(send("a", "unsent")); // the user's, not the server's
  }
}
