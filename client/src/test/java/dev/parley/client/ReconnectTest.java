package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.client.Connection.State;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.Event;
import dev.parley.proto.client.GetAccountResponse;
import dev.parley.proto.client.GoAway;
import dev.parley.proto.client.Request;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Losing sockets, refreshing tokens, and the ends of a session. */
class ReconnectTest extends FakeServerTest {

  private static final Duration QUIET = Duration.ofMillis(300);

  @Test
  void pendingRequestsFailWhenTheConnectionDropsAndItComesBack() throws Exception {
    server.handler =
        (socket, request) -> request.hasGetAccount() ? null : FakeServer.answer(socket, request);
    Connection connection =
        client(Encoding.PROTOBUF).newConnection(TokenStore.inMemory(server.issue()));
    List<State> states = new CopyOnWriteArrayList<>();
    connection.onStateChange(states::add);
    connection.start().awaitState(State.READY, WAIT);
    FakeSocket first = server.nextSocket();
    CompletableFuture<GetAccountResponse> answer = connection.getAccount();
    first.awaitRequest(Request.OpCase.GET_ACCOUNT);

    first.drop();

    assertThat(answer)
        .failsWithin(WAIT)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(ConnectionException.class)
        .withMessageContaining("connection lost before the response to get_account");
    FakeSocket second = server.nextSocket();
    await().atMost(WAIT).until(() -> states.size() >= 6);
    assertThat(states)
        .containsExactly(
            State.AUTHENTICATING,
            State.READY,
            State.RECONNECTING,
            State.CONNECTING,
            State.AUTHENTICATING,
            State.READY);
    assertThat(connection.lastClose().orElseThrow().code()).isEqualTo(CloseStatus.ABNORMAL);
    assertThat(second.channel.isActive()).isTrue();
    assertThat(Futures.await(connection.ping()).getServerTimeMs()).isPositive();
  }

  @ParameterizedTest
  @ValueSource(
      ints = {
        CloseStatus.NORMAL,
        CloseStatus.GOING_AWAY,
        CloseStatus.AUTHENTICATION_FAILED,
        CloseStatus.TOO_SLOW,
        CloseStatus.TOO_MANY_BAD_FRAMES,
        CloseStatus.TOO_BIG
      })
  void reconnectsAfterACloseThatDoesNotEndTheSession(int code) throws Exception {
    Connection connection = connectReady(Encoding.JSON);

    server.nextSocket().close(code, "test");

    server.nextSocket();
    connection.awaitState(State.READY, WAIT);
    assertThat(connection.lastClose()).contains(new CloseStatus(code, "test"));
    assertThat(server.refreshCalls).hasValue(0);
  }

  @Test
  void refreshesTokensWhenTheAccessTokenIsRejected() {
    Credentials credentials = server.issue();
    server.expireAccessTokens();
    TokenStore store = TokenStore.inMemory(credentials);

    Connection connection = client(Encoding.PROTOBUF).connect(store);

    connection.awaitState(State.READY, WAIT);
    assertThat(server.refreshCalls).hasValue(1);
    assertThat(server.authenticateCalls).hasValue(2);
    Credentials refreshed = store.load().orElseThrow();
    assertThat(refreshed.refreshToken()).isNotEqualTo(credentials.refreshToken());
    assertThat(server.validAccessTokens).contains(refreshed.accessToken());
  }

  @Test
  void refreshesAgainWheneverALaterReconnectFindsTheTokenExpired() throws Exception {
    Connection connection = connectReady(Encoding.JSON);
    FakeSocket live = server.nextSocket();

    for (int round = 1; round <= 2; round++) {
      server.expireAccessTokens();
      live.drop();
      server.nextSocket(); // rejected: UNAUTHENTICATED
      live = server.nextSocket(); // after the refresh
      connection.awaitState(State.READY, WAIT);
      assertThat(server.refreshCalls).hasValue(round);
    }
  }

  @Test
  void aCloseWith4001DuringAuthenticationAlsoRefreshes() {
    server.handler =
        (socket, request) -> {
          if (request.hasAuthenticate()
              && !server.validAccessTokens.contains(request.getAuthenticate().getAccessToken())) {
            socket.close(CloseStatus.AUTHENTICATION_FAILED, "bad token"); // no error response first
            return null;
          }
          return FakeServer.answer(socket, request);
        };
    Credentials credentials = server.issue();
    server.expireAccessTokens();

    client(Encoding.PROTOBUF).connect(credentials).awaitState(State.READY, WAIT);

    assertThat(server.refreshCalls).hasValue(1);
  }

  @Test
  void refreshesBeforeConnectingWhenTheAccessTokenHasExpired() throws Exception {
    Credentials issued = server.issue();
    Credentials expired =
        new Credentials(
            issued.userId(),
            issued.sessionId(),
            issued.accessToken(),
            Instant.now().minusSeconds(60),
            issued.refreshToken(),
            issued.refreshTokenExpiresAt(),
            issued.deviceId());
    TokenStore store = TokenStore.inMemory(expired);

    client(Encoding.JSON).connect(store).awaitState(State.READY, WAIT);

    assertThat(server.refreshCalls).hasValue(1);
    assertThat(
            server
                .nextSocket()
                .awaitRequest(Request.OpCase.AUTHENTICATE)
                .getAuthenticate()
                .getAccessToken())
        .isEqualTo(store.load().orElseThrow().accessToken());
  }

  @Test
  void aReusedRefreshTokenLogsOut() {
    Credentials credentials = server.issue();
    server.expireAccessTokens();
    server.refreshTokenSpent.put(credentials.refreshToken(), true);
    TokenStore store = TokenStore.inMemory(credentials);

    Connection connection = client(Encoding.PROTOBUF).connect(store);

    connection.awaitState(State.LOGGED_OUT, WAIT);
    assertThat(connection.terminationCause())
        .get()
        .isInstanceOfSatisfying(
            ClientException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.REFRESH_TOKEN_REUSED));
    assertThat(store.load()).isEmpty();
    assertThatThrownBy(() -> Futures.await(connection.getAccount()))
        .isInstanceOf(ConnectionException.class)
        .hasMessageContaining("LOGGED_OUT");
    assertThatThrownBy(() -> connection.awaitState(State.READY, WAIT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("REFRESH_TOKEN_REUSED");
  }

  @Test
  void anAccessTokenRejectedEvenAfterARefreshLogsOut() {
    server.acceptRefreshedTokens = false;
    Credentials credentials = server.issue();
    server.expireAccessTokens();

    Connection connection = client(Encoding.PROTOBUF).connect(credentials);

    connection.awaitState(State.LOGGED_OUT, WAIT);
    assertThat(server.refreshCalls).hasValue(1);
    assertThat(connection.terminationCause())
        .get()
        .isInstanceOfSatisfying(
            ClientException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAUTHENTICATED));
  }

  @Test
  void sessionRevokedCloseLogsOutWithoutReconnecting() throws Exception {
    TokenStore store = TokenStore.inMemory(server.issue());
    Connection connection = client(Encoding.JSON).connect(store);
    connection.awaitState(State.READY, WAIT);

    server.nextSocket().close(CloseStatus.SESSION_REVOKED, "revoked");

    connection.awaitState(State.LOGGED_OUT, WAIT);
    assertThat(connection.lastClose())
        .contains(new CloseStatus(CloseStatus.SESSION_REVOKED, "revoked"));
    assertThat(store.load()).isEmpty();
    await().during(QUIET).atMost(WAIT).until(() -> server.sockets.size() == 1);
  }

  @Test
  void logoutEndsTheSession() {
    TokenStore store = TokenStore.inMemory(server.issue());
    Connection connection = client(Encoding.PROTOBUF).connect(store);
    connection.awaitState(State.READY, WAIT);

    Futures.await(connection.logout());

    assertThat(connection.state()).isEqualTo(State.LOGGED_OUT);
    assertThat(connection.terminationCause()).isEmpty();
    assertThat(store.load()).isEmpty();
    await().during(QUIET).atMost(WAIT).until(() -> server.sockets.size() == 1);
  }

  @Test
  void goAwayReconnectsAfterTheRequestedDelayAndLetsPendingRequestsFinish() throws Exception {
    server.handler =
        (socket, request) ->
            request.hasGetAccount() && server.sockets.size() == 1
                ? null
                : FakeServer.answer(socket, request);
    // A back-off far longer than the go_away delay shows which of the two decides.
    Connection connection =
        client(
                clientBuilder(Encoding.PROTOBUF)
                    .reconnectBackoff(Duration.ofSeconds(20), Duration.ofSeconds(20)))
            .newConnection(TokenStore.inMemory(server.issue()));
    EventRecorder events = EventRecorder.attach(connection);
    connection.start().awaitState(State.READY, WAIT);
    FakeSocket first = server.nextSocket();
    CompletableFuture<GetAccountResponse> pending = connection.getAccount();
    Request held = first.awaitRequest(Request.OpCase.GET_ACCOUNT);

    long sentAt = System.nanoTime();
    first.event(
        Event.newBuilder()
            .setGoAway(GoAway.newBuilder().setReconnectAfterMs(300).setReason("restart"))
            .build());

    assertThat(events.await(Event.KindCase.GO_AWAY, WAIT).getGoAway().getReason())
        .isEqualTo("restart");
    connection.awaitState(State.RECONNECTING, WAIT);
    first.respond(FakeServer.answer(first, held));
    assertThat(Futures.await(pending).getAccount().getEmail()).isEqualTo("ada@example.org");
    await()
        .atMost(WAIT)
        .until(() -> !first.channel.isActive()); // the client closed the drained socket
    FakeSocket second = server.nextSocket();
    assertThat(second.acceptedAtNanos - sentAt)
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
    connection.awaitState(State.READY, WAIT);
    assertThat(Futures.await(connection.getAccount()).getAccount().getEmail())
        .isEqualTo("ada@example.org");
  }

  @Test
  void anUnansweredPingDropsTheConnection() throws Exception {
    server.handler =
        (socket, request) ->
            request.hasPing() && server.sockets.size() == 1
                ? null
                : FakeServer.answer(socket, request);
    Connection connection =
        client(
                clientBuilder(Encoding.PROTOBUF)
                    .pingInterval(Duration.ofMillis(100))
                    .requestTimeout(Duration.ofMillis(300)))
            .connect(server.issue());
    connection.awaitState(State.READY, WAIT);
    server.nextSocket();

    server.nextSocket();

    connection.awaitState(State.READY, WAIT);
    assertThat(connection.lastClose().orElseThrow().reason())
        .contains("ping failed")
        .contains("no response");
  }

  @Test
  void aFailedHandshakeIsRetried() {
    // Not the WebSocket path: the server answers the upgrade request with a plain 404.
    ParleyClient client =
        client(
            ParleyClient.builder(server.baseUri().resolve("/elsewhere"))
                .requestTimeout(Duration.ofMillis(500))
                .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(50)));

    Connection connection = client.connect(server.issue());

    await()
        .atMost(WAIT)
        .until(
            () ->
                server.httpCalls.stream()
                        .filter(call -> call.path().equals("/elsewhere/ws"))
                        .count()
                    >= 3);
    assertThat(connection.lastClose().orElseThrow().reason()).contains("HTTP 404");
    assertThat(connection.state().isFinal()).isFalse();
    assertThatThrownBy(() -> Futures.await(connection.ping()))
        .isInstanceOf(RequestTimeoutException.class)
        .hasMessageContaining("HTTP 404");
  }

  @Test
  void reconnectDropsTheSocketOnRequest() throws Exception {
    Connection connection = connectReady(Encoding.JSON);
    FakeSocket first = server.nextSocket();

    connection.reconnect();

    server.nextSocket();
    connection.awaitState(State.READY, WAIT);
    await().atMost(WAIT).until(() -> !first.channel.isActive());
  }

  @Test
  void closeFailsWaitingRequestsAndStopsReconnecting() throws Exception {
    server.handler =
        (socket, request) -> request.hasGetAccount() ? null : FakeServer.answer(socket, request);
    TokenStore store = TokenStore.inMemory(server.issue());
    Connection connection = client(Encoding.PROTOBUF).connect(store);
    connection.awaitState(State.READY, WAIT);
    FakeSocket socket = server.nextSocket();
    CompletableFuture<GetAccountResponse> pending = connection.getAccount();
    socket.awaitRequest(Request.OpCase.GET_ACCOUNT);

    connection.close();

    assertThat(connection.state()).isEqualTo(State.CLOSED);
    assertThat(pending)
        .failsWithin(WAIT)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(ConnectionException.class);
    assertThatThrownBy(() -> Futures.await(connection.ping()))
        .isInstanceOf(ConnectionException.class);
    assertThat(store.load()).isPresent(); // closing is not logging out
    await().atMost(WAIT).until(() -> !socket.channel.isActive());
    await().during(QUIET).atMost(WAIT).until(() -> server.sockets.size() == 1);
  }
}
