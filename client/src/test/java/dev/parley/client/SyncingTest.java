package dev.parley.client;

import static dev.parley.client.FakeMessaging.SELF;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.Message;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the tests of synchronization share: a messenger on {@link #store} that records what its
 * listeners saw, and the checks that the store agrees with the server.
 */
abstract class SyncingTest extends FakeServerTest {
  static final long ALICE = 21;
  static final long BOB = 22;

  final MemorySyncStore store = new MemorySyncStore();
  final List<Message> seen = new CopyOnWriteArrayList<>();
  final List<SyncStats> synced = new CopyOnWriteArrayList<>();

  /**
   * Attaches the builder's messenger, records its listeners, starts the connection and waits for
   * the first catch-up.
   */
  Messenger start(Messenger.Builder builder) {
    Messenger messenger = attach(builder);
    messenger.onMessage(seen::add);
    messenger.onSynced(synced::add);
    messenger.connection().start();
    messenger.awaitSynced(WAIT);
    return messenger;
  }

  Messenger.Builder builder(SyncStore store) {
    return messengerBuilder(
        client(Encoding.PROTOBUF).newConnection(TokenStore.inMemory(server.issue())), store);
  }

  /** Reconnects and waits for the catch-up that follows. */
  static void reconnect(Messenger messenger) {
    long before = messenger.catchUps();
    messenger.connection().reconnect();
    messenger.awaitCatchUps(before + 1, WAIT);
  }

  /**
   * The device is away while {@code meanwhile} runs (nothing reaches it live), then reconnects:
   * what happened arrives by the catch-up.
   */
  void away(Messenger messenger, Runnable meanwhile) {
    server.messaging.deliverIf = update -> false;
    meanwhile.run();
    server.messaging.deliverIf = update -> true;
    reconnect(messenger);
  }

  /** The store agrees with the server on each conversation's sync fields. */
  void assertConsistent(long... conversationIds) {
    for (long id : conversationIds) {
      Conversation expected = server.messaging.summary(SELF, id);
      Conversation actual = store.conversation(id).orElseThrow();
      assertThat(actual.getLastSeq()).as("last_seq of %d", id).isEqualTo(expected.getLastSeq());
      assertThat(actual.getReadSeq()).as("read_seq of %d", id).isEqualTo(expected.getReadSeq());
      assertThat(actual.getUnreadCount())
          .as("unread of %d", id)
          .isEqualTo(expected.getUnreadCount());
      assertThat(actual.getLastMessage())
          .as("last message of %d", id)
          .isEqualTo(expected.getLastMessage());
    }
  }

  /** The seqs of a conversation's entries that onMessage saw, in the order it saw them. */
  List<Long> seenSeqs(long conversationId) {
    return seen.stream()
        .filter(m -> m.getConversationId() == conversationId)
        .map(Message::getSeq)
        .toList();
  }

  /** Each (conversation, seq) once, and per conversation in increasing seq order. */
  static void assertDeliveredOnceInOrder(List<Message> delivered) {
    Set<String> keys = new HashSet<>();
    Map<Long, Long> lastSeq = new HashMap<>();
    for (Message m : delivered) {
      assertThat(keys.add(m.getConversationId() + "/" + m.getSeq()))
          .as("delivered twice: %s", m)
          .isTrue();
      long previous = lastSeq.getOrDefault(m.getConversationId(), 0L);
      assertThat(m.getSeq()).as("seq order in %d", m.getConversationId()).isGreaterThan(previous);
      lastSeq.put(m.getConversationId(), m.getSeq());
    }
  }
}
