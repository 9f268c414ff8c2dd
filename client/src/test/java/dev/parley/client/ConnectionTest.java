package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.client.Connection.State;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.Event;
import dev.parley.proto.client.GetAccountResponse;
import dev.parley.proto.client.GetProfilesResponse;
import dev.parley.proto.client.LookupUserRequest;
import dev.parley.proto.client.Profile;
import dev.parley.proto.client.ProfileUpdated;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.Response;
import dev.parley.proto.client.ServerFrame;
import dev.parley.proto.client.SessionRevoked;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Requests, responses and events on a connection that stays up. */
class ConnectionTest extends FakeServerTest {

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void authenticatesAndAnswersTypedRequests(Encoding encoding) throws Exception {
    Connection connection = connectReady(encoding);

    assertThat(server.nextSocket().encoding).isEqualTo(encoding);
    assertThat(connection.session().orElseThrow().getUserId()).isEqualTo(FakeServer.USER_ID);
    GetAccountResponse account = Futures.await(connection.getAccount());
    assertThat(account.getAccount().getEmail()).isEqualTo("ada@example.org");
    GetProfilesResponse profiles = Futures.await(connection.getProfiles(List.of(1L, 2L)));
    assertThat(profiles.getProfilesList()).extracting(Profile::getUserId).containsExactly(1L, 2L);
  }

  @Test
  void correlatesResponsesByRequestId() throws Exception {
    server.handler =
        (socket, request) ->
            request.hasGetProfiles() ? null : FakeServer.answer(socket, request); // answered below
    Connection connection = connectReady(Encoding.PROTOBUF);
    FakeSocket socket = server.nextSocket();

    List<CompletableFuture<GetProfilesResponse>> answers = new ArrayList<>();
    for (long userId = 1; userId <= 3; userId++) {
      answers.add(connection.getProfiles(List.of(userId)));
    }
    List<Request> requests = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      requests.add(socket.awaitRequest(Request.OpCase.GET_PROFILES));
    }
    for (Request request : requests.reversed()) { // out of order
      socket.respond(FakeServer.answer(socket, request));
    }

    Set<Integer> ids = new HashSet<>();
    requests.forEach(r -> ids.add(r.getRequestId()));
    assertThat(ids).hasSize(3).doesNotContain(0);
    for (int i = 0; i < 3; i++) {
      assertThat(Futures.await(answers.get(i)).getProfiles(0).getUserId()).isEqualTo(i + 1L);
    }
  }

  @Test
  void aRequestWithoutAnswerTimesOutAndItsLateAnswerIsStray() throws Exception {
    server.handler =
        (socket, request) -> request.hasGetAccount() ? null : FakeServer.answer(socket, request);
    Connection connection =
        client(clientBuilder(Encoding.JSON).requestTimeout(Duration.ofMillis(300)))
            .connect(server.issue());
    List<Response> strays = new CopyOnWriteArrayList<>();
    connection.onStrayResponse(strays::add);
    connection.awaitState(State.READY, WAIT);
    FakeSocket socket = server.nextSocket();

    CompletableFuture<GetAccountResponse> answer = connection.getAccount();

    assertThat(answer)
        .failsWithin(WAIT)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(RequestTimeoutException.class)
        .withMessageContaining("get_account");
    Request late = socket.awaitRequest(Request.OpCase.GET_ACCOUNT);
    socket.respond(FakeServer.answer(socket, late));
    await().atMost(WAIT).until(() -> !strays.isEmpty());
    assertThat(strays.getFirst().getRequestId()).isEqualTo(late.getRequestId());
    assertThat(connection.state()).isEqualTo(State.READY);
  }

  @Test
  void anErrorAnswerFailsTypedCallsAndIsReturnedByRawSend() {
    Connection connection = connectReady(Encoding.PROTOBUF);
    LookupUserRequest lookup = LookupUserRequest.newBuilder().setUsername("grace").build();

    assertThatThrownBy(() -> Futures.await(connection.lookupUser(lookup)))
        .isInstanceOfSatisfying(
            ClientException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_OPERATION));
    Response raw = Futures.await(connection.send(Request.newBuilder().setLookupUser(lookup)));
    assertThat(raw.getError().getReason()).isEqualTo(Reason.UNKNOWN_OPERATION);
  }

  @Test
  void aRequestIssuedBeforeReadyWaitsForIt() {
    Credentials credentials = server.issue();
    Connection connection =
        client(Encoding.PROTOBUF).newConnection(TokenStore.inMemory(credentials));

    CompletableFuture<GetAccountResponse> answer = connection.getAccount();
    assertThat(answer).isNotDone();
    connection.start();

    assertThat(Futures.await(answer).getAccount().getEmail()).isEqualTo("ada@example.org");
  }

  @Test
  void aRequestThatFindsNoReadyConnectionInTimeIsNotSent() {
    Connection connection =
        client(Encoding.PROTOBUF).newConnection(TokenStore.inMemory(server.issue()));

    assertThatThrownBy(
            () ->
                Futures.await(
                    connection.send(
                        Request.newBuilder()
                            .setPing(dev.parley.proto.client.PingRequest.getDefaultInstance()),
                        Duration.ofMillis(100))))
        .isInstanceOf(RequestTimeoutException.class)
        .hasMessageContaining("not sent")
        .hasMessageContaining("CONNECTING");
    assertThatThrownBy(() -> connection.awaitState(State.READY, Duration.ofMillis(50)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("state CONNECTING");
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void reassemblesFragmentedFrames(Encoding encoding) throws Exception {
    Connection connection = client(encoding).newConnection(TokenStore.inMemory(server.issue()));
    EventRecorder events = EventRecorder.attach(connection);
    connection.start().awaitState(State.READY, WAIT);
    Event big =
        Event.newBuilder()
            .setProfileUpdated(
                ProfileUpdated.newBuilder()
                    .setProfile(
                        Profile.newBuilder()
                            .setUserId(FakeServer.USER_ID)
                            .setDisplayName("ü".repeat(100_000))))
            .build();

    server.nextSocket().sendFragmented(ServerFrame.newBuilder().setEvent(big).build(), 7);

    assertThat(events.await(Event.KindCase.PROFILE_UPDATED, WAIT)).isEqualTo(big);
  }

  @Test
  void eventsReachListenersInArrivalOrder() throws Exception {
    Connection connection = connectReady(Encoding.JSON);
    EventRecorder events = EventRecorder.attach(connection);
    List<Long> seenBySlowListener = new CopyOnWriteArrayList<>();
    connection.onEvent(
        event -> {
          Futures.await(
              connection.ping()); // a listener may block, even on a request of its own connection
          seenBySlowListener.add(event.getSessionRevoked().getSessionId());
        });
    FakeSocket socket = server.nextSocket();

    for (long i = 0; i < 100; i++) {
      socket.event(
          Event.newBuilder()
              .setSessionRevoked(SessionRevoked.newBuilder().setSessionId(i))
              .build());
    }

    await().atMost(WAIT).until(() -> seenBySlowListener.size() == 100);
    assertThat(events.events())
        .extracting(e -> e.getSessionRevoked().getSessionId())
        .isSorted()
        .hasSize(100);
    assertThat(seenBySlowListener).isSorted();
    assertThat(events.await(e -> e.getSessionRevoked().getSessionId() == 42, WAIT)).isNotNull();
    events.expectNone(e -> e.getSessionRevoked().getSessionId() == 42, Duration.ofMillis(10));
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void rawFramesReachTheServerAndTheirAnswersAreStray(Encoding encoding) throws Exception {
    Connection connection = connectReady(encoding);
    List<Response> strays = new CopyOnWriteArrayList<>();
    connection.onStrayResponse(strays::add);
    FakeSocket socket = server.nextSocket();

    Futures.await(
        encoding.textFrames()
            ? connection.sendRawText("{not json")
            : connection.sendRawBinary(new byte[] {(byte) 0xFF, 0x01}));

    await().atMost(WAIT).until(() -> !strays.isEmpty());
    assertThat(strays.getFirst().getError().getReason()).isEqualTo(Reason.BAD_REQUEST);
    assertThat(socket.rawFrames)
        .anyMatch(
            frame ->
                encoding.textFrames()
                    ? "{not json".equals(frame)
                    : frame instanceof byte[] bytes
                        && bytes.length == 2
                        && bytes[0] == (byte) 0xFF);
    assertThat(connection.state()).isEqualTo(State.READY);
  }
}
