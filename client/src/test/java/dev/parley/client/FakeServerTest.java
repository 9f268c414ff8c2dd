package dev.parley.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Starts a {@link FakeServer} per test and closes whatever clients the test made. */
abstract class FakeServerTest {
  static final Duration WAIT = Duration.ofSeconds(5);

  FakeServer server;
  private final List<ParleyClient> clients = new ArrayList<>();
  private final List<Messenger> messengers = new ArrayList<>();

  @BeforeEach
  void startServer() throws Exception {
    server = new FakeServer();
  }

  @AfterEach
  void stopEverything() {
    messengers.forEach(Messenger::close);
    clients.forEach(ParleyClient::close);
    server.close();
  }

  /**
   * Settings for fast tests: short timeouts, quick back-off, frequent pings. The pings matter: the
   * JDK can miss a connection drop that races with a message delivery (see {@link Socket}); the
   * next send then fails and ends the socket.
   */
  ParleyClient.Builder clientBuilder(Encoding encoding) {
    return ParleyClient.builder(server.baseUri())
        .encoding(encoding)
        .requestTimeout(Duration.ofSeconds(2))
        .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
        .pingInterval(Duration.ofMillis(100));
  }

  ParleyClient client(ParleyClient.Builder builder) {
    ParleyClient client = builder.build();
    clients.add(client);
    return client;
  }

  ParleyClient client(Encoding encoding) {
    return client(clientBuilder(encoding));
  }

  /** A connection of a fresh client with fresh credentials, READY. */
  Connection connectReady(Encoding encoding) {
    Connection connection = client(encoding).connect(server.issue());
    connection.awaitState(Connection.State.READY, WAIT);
    return connection;
  }

  /** Messenger settings for fast tests: short waits and back-offs. */
  Messenger.Builder messengerBuilder(Connection connection, SyncStore store) {
    return Messenger.builder(connection, store)
        .gapWait(Duration.ofMillis(100))
        .ackInterval(Duration.ofMillis(200))
        .sendTimeout(Duration.ofSeconds(10))
        .sendBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
        .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(100));
  }

  Messenger attach(Messenger.Builder builder) {
    Messenger messenger = builder.attach();
    messengers.add(messenger);
    return messenger;
  }

  /** A started connection of a fresh client with a messenger attached before it started. */
  Messenger messenger(SyncStore store) {
    Connection connection =
        client(Encoding.PROTOBUF).newConnection(TokenStore.inMemory(server.issue()));
    Messenger messenger = attach(messengerBuilder(connection, store));
    connection.start();
    return messenger;
  }
}
