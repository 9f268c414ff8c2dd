package dev.parley.server.e2e;

import dev.parley.client.Connection;
import dev.parley.client.Connection.State;
import dev.parley.client.Credentials;
import dev.parley.client.Futures;
import dev.parley.client.MemorySyncStore;
import dev.parley.client.Messenger;
import dev.parley.client.ParleyClient;
import dev.parley.client.TokenStore;
import dev.parley.proto.client.GetHistoryRequest;
import dev.parley.proto.client.GetHistoryResponse;
import dev.parley.proto.client.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One logged-in device in an end-to-end test: a connection, the SDK's sync engine and its store,
 * and a record of every onMessage call so tests can check "each entry once, in order".
 */
final class Device implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(30);

  final Credentials credentials;
  final MemorySyncStore store;
  private final ParleyClient client;
  Connection connection;
  Messenger messenger;

  /** "conversation:seq" → how many times onMessage announced it. */
  final Map<String, AtomicInteger> announced = new ConcurrentHashMap<>();

  /** Per conversation, the seqs in the order onMessage announced them. */
  final Map<Long, List<Long>> order = new ConcurrentHashMap<>();

  private Device(ParleyClient client, Credentials credentials, MemorySyncStore store) {
    this.client = client;
    this.credentials = credentials;
    this.store = store;
  }

  static Device online(ParleyClient client, Credentials credentials) {
    Device d = new Device(client, credentials, new MemorySyncStore());
    d.connect();
    return d;
  }

  long userId() {
    return credentials.userId();
  }

  /** (Re)connects with this device's store, as an app does after being offline. */
  void connect() {
    connection = client.newConnection(TokenStore.inMemory(credentials));
    messenger = Messenger.builder(connection, store).gapWait(Duration.ofMillis(300)).attach();
    messenger.onMessage(
        m -> {
          announced
              .computeIfAbsent(m.getConversationId() + ":" + m.getSeq(), k -> new AtomicInteger())
              .incrementAndGet();
          order
              .computeIfAbsent(
                  m.getConversationId(),
                  k -> java.util.Collections.synchronizedList(new ArrayList<>()))
              .add(m.getSeq());
        });
    connection.start().awaitState(State.READY, WAIT);
    messenger.awaitSynced(WAIT);
  }

  /** Goes offline, keeping its store (and pts). */
  void disconnect() {
    messenger.close();
    connection.close();
  }

  /**
   * Waits until the store holds exactly these entries of the conversation (by message id, in
   * order).
   */
  void awaitEntries(long conversationId, List<Message> expected) {
    List<Long> ids = expected.stream().map(Message::getMessageId).toList();
    messenger.awaitCondition(
        () ->
            store.messages(conversationId).stream().map(Message::getMessageId).toList().equals(ids),
        WAIT);
  }

  /** The whole visible log of a conversation, oldest first, read from the server. */
  List<Message> history(long conversationId) {
    List<Message> all = new ArrayList<>();
    long after = 0;
    while (true) {
      GetHistoryResponse page =
          Futures.await(
              connection.getHistory(
                  GetHistoryRequest.newBuilder()
                      .setConversationId(conversationId)
                      .setForward(true)
                      .setAfterSeq(after)
                      .setLimit(200)
                      .build()));
      all.addAll(page.getMessagesList());
      if (!page.getMore() || page.getMessagesCount() == 0) return all;
      after = page.getMessages(page.getMessagesCount() - 1).getSeq();
    }
  }

  @Override
  public void close() {
    if (messenger != null) messenger.close();
    if (connection != null) connection.close();
  }
}
