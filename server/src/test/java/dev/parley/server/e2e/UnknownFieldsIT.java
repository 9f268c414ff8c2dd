package dev.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.parley.client.Credentials;
import dev.parley.client.Encoding;
import dev.parley.client.ParleyClient;
import dev.parley.proto.client.AuthenticateRequest;
import dev.parley.proto.client.GetHistoryRequest;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.Response;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.TextContent;
import dev.parley.testkit.PostgresExtension;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 9, item 9, over the WebSocket protocol: a 2-character text carrying 50,000 bytes under a
 * field number the schema does not have is taken as the text alone; what is stored, answered and
 * delivered holds no unknown field. (Stored and delivered content never held them, as the message
 * service keeps content as domain values; that the gateway drops them before any service sees the
 * request is EncodingTest's.)
 */
class UnknownFieldsIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  static TestNode node;
  static DevCodes codes;

  @BeforeAll
  static void start() {
    node = TestNode.start(postgres, Map.of());
    codes = new DevCodes(node.dataDir);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /**
   * 50,000 bytes under field number 999: with the rest, the frame stays below the 64 KiB frame
   * limit.
   */
  private static UnknownFieldSet bulk() {
    byte[] filler = new byte[50_000];
    Arrays.fill(filler, (byte) 'x');
    return UnknownFieldSet.newBuilder()
        .addField(
            999,
            UnknownFieldSet.Field.newBuilder()
                .addLengthDelimited(ByteString.copyFrom(filler))
                .build())
        .build();
  }

  @Test
  void aTextWithABulkyUnknownFieldIsStoredAndDeliveredAsTheTextAlone() {
    ParleyClient client = node.client(Encoding.PROTOBUF);
    Credentials alice = codes.register(client, DevCodes.uniqueEmail("alice"), "Alice", "a");
    try (Device bob =
            Device.online(client, codes.register(client, DevCodes.uniqueEmail("bob"), "Bob", "b"));
        RawSocket s = RawSocket.open(node.port(), RawSocket.PROTOBUF)) {
      s.send(
          Request.newBuilder()
              .setRequestId(1)
              .setAuthenticate(AuthenticateRequest.newBuilder().setAccessToken(alice.accessToken()))
              .build());
      assertThat(s.nextResponse().hasAuthenticate()).isTrue();

      SendMessageRequest.Builder send =
          SendMessageRequest.newBuilder()
              .setUserId(bob.userId())
              .setClientMsgId("padded-1")
              .setText(TextContent.newBuilder().setText("hi").setUnknownFields(bulk()));
      s.send(Request.newBuilder().setRequestId(2).setSendMessage(send).build());
      Response sent = s.nextResponse();
      assertThat(sent.hasSendMessage()).as("accepted: %s", sent.getError()).isTrue();
      long conversation = sent.getSendMessage().getConversationId();
      long seq = sent.getSendMessage().getSeq();

      Message delivered = bob.messenger.awaitMessage(conversation, seq, Device.WAIT);
      assertThat(delivered.getText().getText()).isEqualTo("hi");
      assertThat(delivered.getText().getUnknownFields().asMap()).isEmpty();
      assertThat(delivered.getUnknownFields().asMap()).isEmpty();

      s.send(
          Request.newBuilder()
              .setRequestId(3)
              .setGetHistory(GetHistoryRequest.newBuilder().setConversationId(conversation))
              .build());
      Message stored = s.nextResponse().getGetHistory().getMessages(0);
      assertThat(stored.getText().getText()).isEqualTo("hi");
      assertThat(stored.getSerializedSize()).isLessThan(200);
    }
  }
}
