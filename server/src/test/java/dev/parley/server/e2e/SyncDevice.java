package dev.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.Connection;
import dev.parley.client.Connection.State;
import dev.parley.client.Credentials;
import dev.parley.client.MemorySyncStore;
import dev.parley.client.Messenger;
import dev.parley.client.ParleyClient;
import dev.parley.client.TokenStore;
import dev.parley.proto.client.Message;
import dev.parley.server.audit.ConversationLogs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A device kept in step by the SDK's sync engine ({@link Messenger} on a {@link MemorySyncStore}),
 * with a record of every entry {@code onMessage} announced, so a test can check "each entry once,
 * in seq order" besides the store's contents.
 */
final class SyncDevice implements AutoCloseable {
  final String name;
  final Credentials credentials;
  final MemorySyncStore store;
  final Connection connection;
  final Messenger messenger;

  /** Per conversation, the seqs in the order onMessage announced them. */
  private final Map<Long, List<Long>> announced = new ConcurrentHashMap<>();

  private SyncDevice(
      ParleyClient client, String name, Credentials credentials, MemorySyncStore store) {
    this.name = name;
    this.credentials = credentials;
    this.store = store;
    this.connection = client.newConnection(TokenStore.inMemory(credentials));
    this.messenger = Messenger.builder(connection, store).gapWait(Duration.ofMillis(200)).attach();
    messenger.onMessage(
        m ->
            announced
                .computeIfAbsent(
                    m.getConversationId(), c -> Collections.synchronizedList(new ArrayList<>()))
                .add(m.getSeq()));
  }

  /** Connects and waits for the first catch-up. */
  static SyncDevice online(
      ParleyClient client,
      String name,
      Credentials credentials,
      MemorySyncStore store,
      Duration timeout) {
    SyncDevice d = new SyncDevice(client, name, credentials, store);
    d.connection.start().awaitState(State.READY, timeout);
    d.messenger.awaitSynced(timeout);
    return d;
  }

  /**
   * A store that has applied nothing but starts at pts 0: its first catch-up replays the whole
   * feed.
   */
  static MemorySyncStore fromFeedStart() {
    MemorySyncStore s = new MemorySyncStore();
    s.savePts(0);
    return s;
  }

  /**
   * Waits until the store holds exactly {@code logs} (compared by {@link ConversationLogs#key}) for
   * the conversations named there and nothing of the {@code foreign} ones; on timeout, shows the
   * difference.
   */
  void awaitExactly(Map<Long, List<Message>> logs, Set<Long> foreign, Duration timeout) {
    try {
      messenger.awaitCondition(() -> holdsExactly(logs, foreign), timeout);
    } catch (IllegalStateException e) {
      for (Map.Entry<Long, List<Message>> log : logs.entrySet()) {
        assertThat(ConversationLogs.keys(store.messages(log.getKey())))
            .as("%s: conversation %d (%s)", name, log.getKey(), e.getMessage())
            .containsExactlyElementsOf(ConversationLogs.keys(log.getValue()));
      }
      throw e;
    }
    for (long foreignId : foreign) {
      assertThat(store.messages(foreignId))
          .as("%s holds entries of conversation %d", name, foreignId)
          .isEmpty();
    }
  }

  /**
   * onMessage announced the seqs of {@code log}, each once, in order. Listeners run after the store
   * is written, so this waits for them to catch up with the store first.
   */
  void assertAnnouncedOnceInOrder(long conversationId, List<Message> log) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> announced(conversationId).size() >= log.size());
    assertThat(announced(conversationId))
        .as("%s: seqs announced by onMessage for conversation %d", name, conversationId)
        .containsExactlyElementsOf(log.stream().map(Message::getSeq).toList());
  }

  private List<Long> announced(long conversationId) {
    List<Long> got = announced.getOrDefault(conversationId, List.of());
    synchronized (got) {
      return List.copyOf(got);
    }
  }

  private boolean holdsExactly(Map<Long, List<Message>> logs, Set<Long> foreign) {
    for (Map.Entry<Long, List<Message>> log : logs.entrySet()) {
      if (!ConversationLogs.keys(store.messages(log.getKey()))
          .equals(ConversationLogs.keys(log.getValue()))) return false;
    }
    return foreign.stream().allMatch(c -> store.messages(c).isEmpty());
  }

  @Override
  public void close() {
    messenger.close();
    connection.close();
  }

  @Override
  public String toString() {
    return name + " " + messenger;
  }
}
