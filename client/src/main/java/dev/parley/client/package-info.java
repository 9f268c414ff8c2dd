/**
 * The Java client SDK for Parley: account bootstrap over HTTP ({@link dev.parley.client.AuthApi})
 * and a self-healing WebSocket connection ({@link dev.parley.client.Connection}) that
 * authenticates, correlates requests with responses, delivers server events in order and reconnects
 * with back-off.
 *
 * <p>Start at {@link dev.parley.client.ParleyClient}:
 *
 * <pre>{@code
 * try (ParleyClient client = ParleyClient.builder(URI.create("http://127.0.0.1:8080")).build()) {
 *   Credentials credentials = client.auth().login(LoginRequest.newBuilder()
 *       .setIdentifier(AuthApi.email("ada@example.org"))
 *       .setPassword("correct horse battery staple")
 *       .build());
 *   Connection connection = client.connect(credentials);
 *   EventRecorder events = EventRecorder.attach(connection);
 *   connection.awaitState(Connection.State.READY, Duration.ofSeconds(5));
 *   Account account = Futures.await(connection.getAccount()).getAccount();
 * }
 * }</pre>
 *
 * <p>Messaging and multi-device sync sit on top of a connection: a {@link
 * dev.parley.client.Messenger} keeps a {@link dev.parley.client.SyncStore} in step with the user's
 * update feed and the logs of their groups (catch-up on every READY, live updates in pts order,
 * group entries in seq order, gap repair) and sends messages exactly once, also across restarts:
 *
 * <pre>{@code
 * Messenger messenger = Messenger.attach(connection, new MemorySyncStore()); // before connection.start()
 * messenger.onMessage(message -> ...);
 * connection.start();
 * messenger.awaitSynced(Duration.ofSeconds(10));
 * Futures.await(messenger.sendText(Recipient.user(bobId), "hello"));
 * }</pre>
 *
 * <p>Nullness: no method returns {@code null}; absent values are {@link java.util.Optional}.
 * Failures are unchecked: {@link dev.parley.client.ClientException} (the server answered with an
 * error), {@link dev.parley.client.ConnectionException} (no usable answer: unreachable, dropped,
 * undecodable) and {@link dev.parley.client.RequestTimeoutException}.
 */
@NullMarked
package dev.parley.client;

import org.jspecify.annotations.NullMarked;
