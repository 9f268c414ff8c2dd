package dev.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.Credentials;
import dev.parley.client.Encoding;
import dev.parley.client.Futures;
import dev.parley.client.ParleyClient;
import dev.parley.client.Recipient;
import dev.parley.proto.client.AuthenticateRequest;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.GetDifferenceRequest;
import dev.parley.proto.client.GetHistoryRequest;
import dev.parley.proto.client.MarkReadRequest;
import dev.parley.proto.client.PingRequest;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.Response;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.TextContent;
import dev.parley.testkit.PostgresExtension;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad input to the messaging operations, through a raw WebSocket: every one gets a clear error,
 * nothing is stored, and the connection stays usable.
 */
class MessagingBadInputIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  static TestNode node;
  static Credentials alice;
  static Credentials bob;
  static long conversation;

  @BeforeAll
  static void start() {
    node = TestNode.start(postgres, Map.of());
    DevCodes codes = new DevCodes(node.dataDir);
    ParleyClient client = node.client(Encoding.JSON);
    alice = codes.register(client, DevCodes.uniqueEmail("alice"), "Alice", "a");
    bob = codes.register(client, DevCodes.uniqueEmail("bob"), "Bob", "b");
    try (Device d = Device.online(client, alice)) {
      conversation =
          Futures.await(d.messenger.sendText(Recipient.user(bob.userId()), "first"))
              .getConversationId();
    }
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static RawSocket socket(String subprotocol) {
    RawSocket s = RawSocket.open(node.port(), subprotocol);
    s.send(
        Request.newBuilder()
            .setRequestId(1)
            .setAuthenticate(AuthenticateRequest.newBuilder().setAccessToken(alice.accessToken()))
            .build());
    assertThat(s.nextResponse().hasAuthenticate()).isTrue();
    return s;
  }

  private static Response call(RawSocket s, Request.Builder r) {
    s.send(r.setRequestId(42).build());
    Response response = s.nextResponse();
    assertThat(response.getRequestId()).isEqualTo(42);
    return response;
  }

  private static SendMessageRequest.Builder text(String t) {
    return SendMessageRequest.newBuilder()
        .setConversationId(conversation)
        .setClientMsgId("bad-" + t.length())
        .setText(TextContent.newBuilder().setText(t));
  }

  @Test
  void everyBadRequestGetsAClearErrorAndNothingIsStored() {
    try (RawSocket s = socket(RawSocket.PROTOBUF)) {
      long before = historySize(s);

      Response tooLong = call(s, Request.newBuilder().setSendMessage(text("x".repeat(4001))));
      assertThat(tooLong.getError().getReason()).isEqualTo(Reason.INVALID_ARGUMENT);
      assertThat(tooLong.getError().getField()).isEqualTo("text.text");
      assertThat(call(s, Request.newBuilder().setSendMessage(text("   "))).getError().getReason())
          .isEqualTo(Reason.INVALID_ARGUMENT);
      assertThat(
              call(s, Request.newBuilder().setSendMessage(text("ok").setClientMsgId("")))
                  .getError()
                  .getField())
          .isEqualTo("client_msg_id");
      assertThat(
              call(s, Request.newBuilder().setSendMessage(text("ok").setClientMsgId("has spaces")))
                  .getError()
                  .getReason())
          .isEqualTo(Reason.INVALID_ARGUMENT);
      assertThat(
              call(s, Request.newBuilder().setSendMessage(text("ok").setConversationId(123456789)))
                  .getError()
                  .getReason())
          .isEqualTo(Reason.NOT_FOUND);
      assertThat(
              call(s, Request.newBuilder().setSendMessage(text("ok").clearTo()))
                  .getError()
                  .getReason())
          .isEqualTo(Reason.INVALID_ARGUMENT);

      // An unknown content type (a field number this server does not know) is "no content".
      SendMessageRequest known =
          SendMessageRequest.newBuilder()
              .setConversationId(conversation)
              .setClientMsgId("future-type")
              .build();
      ByteArrayOutputStream unknownContent = new ByteArrayOutputStream();
      unknownContent.writeBytes(known.toByteArray());
      unknownContent.writeBytes(
          new byte[] {
            (byte) 0xf2, 0x01, 0x02, 0x08, 0x01
          }); // field 30 (not in oneof): length-delimited
      Request withUnknown =
          Request.newBuilder()
              .setRequestId(43)
              .setSendMessage(parse(unknownContent.toByteArray()))
              .build();
      s.send(withUnknown);
      Response unknown = s.nextResponse();
      assertThat(unknown.getError().getReason()).isEqualTo(Reason.INVALID_ARGUMENT);
      assertThat(unknown.getError().getField()).isEqualTo("content");

      // Invalid UTF-8 inside the text: field 300 (send_message) > field 10 (text) > field 1 (text).
      byte[] inner = {0x0a, 0x02, (byte) 0xc3, (byte) 0x28};
      byte[] content =
          concat(
              new byte[] {0x08, (byte) 0x9a, 0x01, 0x1a, 0x01, 0x78, 0x52, (byte) inner.length},
              inner);
      byte[] frame =
          concat(new byte[] {0x08, 0x2c, (byte) 0xe2, 0x12, (byte) content.length}, content);
      s.sendBinary(frame);
      assertThat(s.nextResponse().getError().getReason()).isEqualTo(Reason.BAD_REQUEST);

      // Cursors and ranges.
      assertThat(
              call(
                      s,
                      Request.newBuilder()
                          .setGetDifference(GetDifferenceRequest.newBuilder().setPts(-1)))
                  .getError()
                  .getReason())
          .isEqualTo(Reason.INVALID_ARGUMENT);
      Response future =
          call(
              s,
              Request.newBuilder()
                  .setGetDifference(GetDifferenceRequest.newBuilder().setPts(Long.MAX_VALUE)));
      assertThat(future.getGetDifference().getTooLong()).isTrue();
      assertThat(
              call(
                      s,
                      Request.newBuilder()
                          .setGetDifference(
                              GetDifferenceRequest.newBuilder().setPts(0).setLimit(100_000)))
                  .getError()
                  .getReason())
          .isEqualTo(Reason.INVALID_ARGUMENT);
      assertThat(
              call(
                      s,
                      Request.newBuilder()
                          .setGetHistory(
                              GetHistoryRequest.newBuilder()
                                  .setConversationId(conversation)
                                  .setBeforeSeq(-3)))
                  .getError()
                  .getReason())
          .isEqualTo(Reason.INVALID_ARGUMENT);
      assertThat(
              call(
                      s,
                      Request.newBuilder()
                          .setGetHistory(
                              GetHistoryRequest.newBuilder()
                                  .setConversationId(conversation)
                                  .setBeforeSeq(5)
                                  .setAfterSeq(10)))
                  .getError()
                  .getReason())
          .isEqualTo(Reason.INVALID_ARGUMENT);
      assertThat(
              call(
                      s,
                      Request.newBuilder()
                          .setGetHistory(
                              GetHistoryRequest.newBuilder()
                                  .setConversationId(conversation)
                                  .setLimit(5000)))
                  .getError()
                  .getReason())
          .isEqualTo(Reason.INVALID_ARGUMENT);
      assertThat(
              call(
                      s,
                      Request.newBuilder()
                          .setGetHistory(
                              GetHistoryRequest.newBuilder()
                                  .setConversationId(conversation)
                                  .setBeforeSeq(Long.MAX_VALUE)))
                  .getGetHistory()
                  .getMessagesCount())
          .isEqualTo((int) before);
      assertThat(
              call(
                      s,
                      Request.newBuilder()
                          .setMarkRead(
                              MarkReadRequest.newBuilder()
                                  .setConversationId(conversation)
                                  .setSeq(-1)))
                  .getError()
                  .getReason())
          .isEqualTo(Reason.INVALID_ARGUMENT);
      assertThat(
              call(
                      s,
                      Request.newBuilder()
                          .setMarkRead(
                              MarkReadRequest.newBuilder()
                                  .setConversationId(conversation)
                                  .setSeq(Long.MAX_VALUE)))
                  .getMarkRead()
                  .getReadSeq())
          .isEqualTo(before); // clamped to the newest entry

      assertThat(historySize(s)).isEqualTo(before);
      assertThat(call(s, Request.newBuilder().setPing(PingRequest.getDefaultInstance())).hasPing())
          .isTrue();
    }
  }

  @Test
  void jsonClientsGetTheSameErrors() {
    try (RawSocket s = socket(RawSocket.JSON)) {
      s.sendText(
          "{\"requestId\":5,\"sendMessage\":{\"conversationId\":\""
              + conversation
              + "\",\"clientMsgId\":\"j1\",\"sticker\":{\"id\":1}}}");
      Response r = s.nextResponse();
      assertThat(r.getRequestId()).isEqualTo(5);
      assertThat(r.getError().getField()).isEqualTo("content");
      s.sendText("{\"requestId\":6,\"getHistory\":{\"conversationId\":\"not-a-number\"}}");
      assertThat(s.nextResponse().getError().getReason()).isEqualTo(Reason.BAD_REQUEST);
      s.sendText(
          "{\"requestId\":7,\"sendMessage\":{\"conversationId\":\""
              + conversation
              + "\",\"clientMsgId\":\"j2\",\"text\":{\"text\":\"fine\"}}}");
      assertThat(s.nextResponse().getSendMessage().getSeq()).isPositive();
    }
  }

  private static long historySize(RawSocket s) {
    s.send(
        Request.newBuilder()
            .setRequestId(77)
            .setGetHistory(
                GetHistoryRequest.newBuilder().setConversationId(conversation).setLimit(200))
            .build());
    return s.nextResponse().getGetHistory().getMessagesCount();
  }

  private static SendMessageRequest parse(byte[] bytes) {
    try {
      return SendMessageRequest.parseFrom(bytes);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = new byte[a.length + b.length];
    System.arraycopy(a, 0, r, 0, a.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
