package dev.parley.client;

import static dev.parley.client.FakeMessaging.SELF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.FileContent;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.Response;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.SendMessageResponse;
import dev.parley.proto.client.TextContent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once send: one client_msg_id per message across retries and restarts, which failures end
 * a send, and the outbox in the store.
 */
class SendTest extends FakeServerTest {
  static final long ALICE = 21;

  final MemorySyncStore store = new MemorySyncStore();

  /** The client_msg_id of every send_message attempt that reached the server. */
  final List<String> attempts = new CopyOnWriteArrayList<>();

  @BeforeEach
  void recordAttempts() {
    server.handler = recording(FakeServer::answer);
  }

  FakeServer.RequestHandler recording(FakeServer.RequestHandler next) {
    return (socket, request) -> {
      if (request.hasSendMessage()) {
        attempts.add(request.getSendMessage().getClientMsgId());
      }
      return next.handle(socket, request);
    };
  }

  Messenger synced(Duration requestTimeout) {
    Connection connection =
        client(clientBuilder(Encoding.PROTOBUF).requestTimeout(requestTimeout))
            .newConnection(TokenStore.inMemory(server.issue()));
    Messenger messenger = attach(messengerBuilder(connection, store));
    connection.start();
    messenger.awaitSynced(WAIT);
    return messenger;
  }

  @Test
  void aSentMessageIsStoredOnceAndReachesTheStoreThroughTheFeed() {
    Messenger messenger = synced();

    SendMessageResponse sent = Futures.await(messenger.sendText(Recipient.user(ALICE), "hello"));

    assertThat(sent.getSeq()).isEqualTo(1);
    assertThat(sent.getDuplicate()).isFalse();
    Message stored = messenger.awaitMessage(sent.getConversationId(), 1, WAIT);
    assertThat(stored.getText().getText()).isEqualTo("hello");
    assertThat(stored.getSenderId()).isEqualTo(SELF);
    assertThat(stored.getClientMsgId()).isEqualTo(attempts.getFirst());
    assertThat(store.readSeq(sent.getConversationId())).isEqualTo(1);
    assertThat(store.unread(sent.getConversationId())).isZero();

    assertThat(store.pendingSends()).isEmpty(); // answered: out of the outbox

    FileContent file =
        FileContent.newBuilder().setFileId("f1").setName("notes.txt").setSize(3).build();
    SendMessageResponse second =
        Futures.await(messenger.sendFile(Recipient.conversation(sent.getConversationId()), file));
    assertThat(messenger.awaitMessage(sent.getConversationId(), second.getSeq(), WAIT).getFile())
        .isEqualTo(file);
  }

  @Test
  void aConnectionDroppedBeforeTheAnswerIsRetriedWithTheSameClientMsgId() {
    AtomicInteger sends = new AtomicInteger();
    server.handler =
        recording(
            (socket, request) -> {
              if (request.hasSendMessage() && sends.incrementAndGet() == 1) {
                FakeServer.answer(socket, request); // stored...
                socket.drop(); // ...but the answer is lost
                return null;
              }
              return FakeServer.answer(socket, request);
            });
    Messenger messenger = synced();

    SendMessageResponse sent =
        Futures.await(messenger.sendText(Recipient.user(ALICE), "exactly once"));

    assertThat(sent.getDuplicate()).isTrue();
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(1)).isEqualTo(attempts.getFirst());
    assertThat(server.messaging.log(sent.getConversationId())).hasSize(1);
    assertThat(messenger.awaitMessages(sent.getConversationId(), 1, WAIT)).hasSize(1);
  }

  @Test
  void anUnansweredAttemptIsRetriedAfterItsTimeout() {
    AtomicInteger sends = new AtomicInteger();
    server.handler =
        recording(
            (socket, request) ->
                request.hasSendMessage() && sends.incrementAndGet() == 1
                    ? null
                    : FakeServer.answer(socket, request));
    Messenger messenger = synced(Duration.ofMillis(300));

    SendMessageResponse sent = Futures.await(messenger.sendText(Recipient.user(ALICE), "late"));

    assertThat(sent.getDuplicate()).isFalse(); // the first attempt never reached the log
    assertThat(attempts).hasSize(2).containsOnly(attempts.getFirst());
  }

  @Test
  void unavailableIsRetried() {
    AtomicInteger sends = new AtomicInteger();
    server.handler =
        recording(
            (socket, request) ->
                request.hasSendMessage() && sends.incrementAndGet() <= 2
                    ? Response.newBuilder()
                        .setRequestId(request.getRequestId())
                        .setError(FakeServer.error(503, Reason.UNAVAILABLE, "try again"))
                        .build()
                    : FakeServer.answer(socket, request));
    Messenger messenger = synced();

    SendMessageResponse sent =
        Futures.await(messenger.sendText(Recipient.user(ALICE), "third time"));

    assertThat(sent.getSeq()).isEqualTo(1);
    assertThat(attempts).hasSize(3).containsOnly(attempts.getFirst());
  }

  @Test
  void aDefiniteErrorEndsTheSendAtOnce() {
    server.messaging.blockedSelf.add(ALICE);
    Messenger messenger = synced();

    assertThatThrownBy(() -> Futures.await(messenger.sendText(Recipient.user(ALICE), "hi")))
        .isInstanceOfSatisfying(
            ClientException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BLOCKED));
    assertThat(attempts).hasSize(1);
    assertThat(store.pendingSends()).isEmpty(); // a definite answer: resending would not change it
  }

  @Test
  void aSendGivesUpAfterTheSendTimeout() {
    server.handler =
        recording(
            (socket, request) ->
                request.hasSendMessage() ? null : FakeServer.answer(socket, request));
    Connection connection =
        client(clientBuilder(Encoding.JSON).requestTimeout(Duration.ofMillis(200)))
            .newConnection(TokenStore.inMemory(server.issue()));
    Messenger messenger =
        attach(messengerBuilder(connection, store).sendTimeout(Duration.ofSeconds(1)));
    connection
        .start()
        .awaitState(Connection.State.READY, WAIT); // connecting is not what the second is for

    assertThatThrownBy(() -> Futures.await(messenger.sendText(Recipient.user(ALICE), "void")))
        .isInstanceOf(RequestTimeoutException.class)
        .hasMessageContaining("attempts within PT1S")
        .hasCauseInstanceOf(RequestTimeoutException.class);
    assertThat(attempts).hasSizeGreaterThanOrEqualTo(2).containsOnly(attempts.getFirst());
    assertThat(store.pendingSends())
        .extracting(SendMessageRequest::getClientMsgId)
        .containsExactly(
            attempts.getFirst()); // perhaps stored: the next messenger on the store resends it
  }

  @Test
  void resendingAnIdDeliberatelyIsAnsweredWithTheOriginal() {
    Messenger messenger = synced();
    SendMessageRequest.Builder request =
        SendMessageRequest.newBuilder()
            .setUserId(ALICE)
            .setText(TextContent.newBuilder().setText("once"));
    String id = Messenger.newClientMsgId();

    SendMessageResponse first = Futures.await(messenger.send(request, id));
    SendMessageResponse again = Futures.await(messenger.send(request, id));

    assertThat(again.getDuplicate()).isTrue();
    assertThat(again.getSeq()).isEqualTo(first.getSeq());
    assertThat(again.getMessageId()).isEqualTo(first.getMessageId());
    assertThat(server.messaging.log(first.getConversationId())).hasSize(1);
    assertThat(server.requestCount(Request.OpCase.SEND_MESSAGE)).isEqualTo(2);
  }

  @Test
  void anUnansweredSendSurvivesARestartAndIsResentOnceWithTheSameClientMsgId() {
    List<List<SendMessageRequest>> outboxWhenReceived = new CopyOnWriteArrayList<>();
    server.handler =
        recording(
            (socket, request) -> {
              if (request.hasSendMessage()) {
                outboxWhenReceived.add(store.pendingSends());
                return null; // swallowed: never stored, never answered
              }
              return FakeServer.answer(socket, request);
            });
    Messenger killed = synced();
    CompletableFuture<SendMessageResponse> lost =
        killed.sendText(Recipient.user(ALICE), "survives");
    await().atMost(WAIT).until(() -> attempts.size() == 1);
    String id = attempts.getFirst();

    killed.close(); // the application is killed
    killed.connection().close();

    assertThat(lost).failsWithin(WAIT);
    assertThat(outboxWhenReceived.getFirst())
        .extracting(SendMessageRequest::getClientMsgId)
        .containsExactly(id);
    assertThat(store.pendingSends())
        .extracting(SendMessageRequest::getClientMsgId)
        .containsExactly(id);

    server.handler = recording(FakeServer::answer);
    Messenger restarted = synced();
    Map<String, CompletableFuture<SendMessageResponse>> resumed = restarted.resumedSends();

    assertThat(resumed).containsOnlyKeys(id);
    SendMessageResponse sent = Futures.await(resumed.get(id));
    assertThat(sent.getDuplicate()).isFalse();
    assertThat(attempts).containsExactly(id, id); // the lost attempt, and the one after the restart
    assertThat(server.messaging.log(sent.getConversationId()))
        .singleElement()
        .satisfies(m -> assertThat(m.getClientMsgId()).isEqualTo(id))
        .satisfies(m -> assertThat(m.getText().getText()).isEqualTo("survives"));
    assertThat(store.pendingSends()).isEmpty();
    assertThat(
            restarted.awaitMessage(sent.getConversationId(), sent.getSeq(), WAIT).getClientMsgId())
        .isEqualTo(id);
  }

  @Test
  void restoredSendsWaitForTheFirstCatchUpAndStayInTheOutboxIfTheMessengerClosesBefore() {
    SendMessageRequest pending =
        SendMessageRequest.newBuilder()
            .setUserId(ALICE)
            .setClientMsgId("left-over")
            .setText(TextContent.newBuilder().setText("from before"))
            .build();
    store.savePendingSend(pending);
    Connection connection =
        client(Encoding.PROTOBUF).newConnection(TokenStore.inMemory(server.issue()));
    Messenger messenger = attach(messengerBuilder(connection, store)); // never started: no catch-up

    CompletableFuture<SendMessageResponse> resumed = messenger.resumedSends().get("left-over");
    messenger.close();

    assertThat(resumed).failsWithin(WAIT);
    assertThat(attempts).isEmpty();
    assertThat(store.pendingSends()).containsExactly(pending);
  }

  @Test
  void sendingAnIdThatIsStillUnderWayReturnsItsFuture() throws Exception {
    server.handler =
        recording(
            (socket, request) ->
                request.hasSendMessage() ? null : FakeServer.answer(socket, request));
    Messenger messenger = synced();
    SendMessageRequest.Builder request =
        SendMessageRequest.newBuilder()
            .setUserId(ALICE)
            .setText(TextContent.newBuilder().setText("once"));
    String id = Messenger.newClientMsgId();

    CompletableFuture<SendMessageResponse> first = messenger.send(request, id);
    CompletableFuture<SendMessageResponse> again = messenger.send(request, id);

    assertThat(again).isSameAs(first);
    FakeSocket socket = server.sockets.getLast();
    Request held = socket.awaitRequest(Request.OpCase.SEND_MESSAGE);
    socket.respond(FakeServer.answer(socket, held));
    assertThat(Futures.await(first).getDuplicate()).isFalse();
    assertThat(attempts).containsExactly(id);
  }

  private Messenger synced() {
    Messenger messenger = messenger(store);
    messenger.awaitSynced(WAIT);
    return messenger;
  }
}
