package dev.parley.client;

import static dev.parley.client.FakeMessaging.SELF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.GetDifferenceResponse;
import dev.parley.proto.client.GetHistoryRequest;
import dev.parley.proto.client.GetHistoryResponse;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.SendMessageResponse;
import dev.parley.proto.client.TextContent;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The typed helpers of {@link Operations} for messaging and sync, over the wire. */
class MessagingOperationsTest extends FakeServerTest {
  static final long ALICE = 21;

  @Test
  void everyOperationHasATypedHelper() {
    Set<String> methods =
        Arrays.stream(Operations.class.getMethods())
            .map(Method::getName)
            .collect(Collectors.toSet());
    List<String> missing =
        Arrays.stream(Request.OpCase.values())
            .filter(
                op ->
                    op != Request.OpCase.OP_NOT_SET
                        && op != Request.OpCase.AUTHENTICATE) // the connection's own
            .map(op -> camelCase(op.name()))
            .filter(name -> !methods.contains(name))
            .toList();
    assertThat(missing).isEmpty();
  }

  @Test
  void messagesHistoryReadStateAndTheFeed() {
    Connection connection = connectReady(Encoding.JSON);
    SendMessageResponse sent =
        Futures.await(
            connection.sendMessage(
                SendMessageRequest.newBuilder()
                    .setUserId(ALICE)
                    .setClientMsgId("c-1")
                    .setText(TextContent.newBuilder().setText("hi"))
                    .build()));
    long conversation = sent.getConversationId();
    server.messaging.text(ALICE, conversation, "hello");
    server.messaging.text(ALICE, conversation, "there");

    GetHistoryResponse newest =
        Futures.await(
            connection.getHistory(
                GetHistoryRequest.newBuilder()
                    .setConversationId(conversation)
                    .setLimit(2)
                    .build()));
    assertThat(newest.getMessagesList()).extracting(Message::getSeq).containsExactly(3L, 2L);
    assertThat(newest.getMore()).isTrue();
    assertThat(Futures.await(connection.markRead(conversation, 2)).getUnreadCount()).isEqualTo(1);
    assertThat(Futures.await(connection.recallMessage(conversation, 1)).getSeq()).isEqualTo(4);
    assertThat(
            Futures.await(connection.getReadCounts(conversation, List.of(1L)))
                .getCounts(0)
                .getReadCount())
        .isEqualTo(1);
    assertThat(Futures.await(connection.getState()).getPts()).isEqualTo(5);
    GetDifferenceResponse difference = Futures.await(connection.getDifference(3, 0));
    assertThat(difference.getUpdatesList()).extracting(u -> u.getPts()).containsExactly(4L, 5L);
    assertThat(difference.getUpdates(0).getReadMarker().getReadSeq()).isEqualTo(2);
    Futures.await(connection.ack(5));
    assertThat(server.messaging.acks).containsExactly(5L);
    assertThat(Futures.await(connection.getConversations(10, "")).getConversationsList())
        .extracting(c -> c.getPeerUserId())
        .containsExactly(ALICE);
    assertThat(Futures.await(connection.getConversation(conversation)).getMembersCount())
        .isEqualTo(2);
    assertThat(server.messaging.readSeq(SELF, conversation)).isEqualTo(2);
  }

  @Test
  void anErrorAnswerFailsWithClientException() {
    Connection connection = connectReady(Encoding.PROTOBUF);

    assertThatThrownBy(() -> Futures.await(connection.getConversation(12345)))
        .isInstanceOfSatisfying(
            ClientException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
    assertThatThrownBy(() -> Futures.await(connection.leaveGroup(1)))
        .isInstanceOfSatisfying(
            ClientException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_OPERATION));
  }

  private static String camelCase(String op) {
    StringBuilder name = new StringBuilder();
    for (String part : op.toLowerCase().split("_")) {
      name.append(
          name.isEmpty() ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
    }
    return name.toString();
  }
}
