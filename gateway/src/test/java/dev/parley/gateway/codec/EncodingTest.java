package dev.parley.gateway.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.TextContent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Decoding drops what the schema does not know, at every depth and in both encodings. */
class EncodingTest {
  private static final Request HI =
      Request.newBuilder()
          .setRequestId(4)
          .setSendMessage(
              SendMessageRequest.newBuilder()
                  .setConversationId(77)
                  .setClientMsgId("c-1")
                  .setText(TextContent.newBuilder().setText("hi")))
          .build();

  /** 50,000 bytes under a field number no message of ours uses. */
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

  /**
   * "hi" with the bulk inside the text content, inside the send request and on the frame itself.
   */
  private static Request padded() {
    Request.Builder b = HI.toBuilder().setUnknownFields(bulk());
    b.getSendMessageBuilder().setUnknownFields(bulk());
    b.getSendMessageBuilder().getTextBuilder().setUnknownFields(bulk());
    return b.build();
  }

  @Test
  void protobufDropsUnknownFieldsAtEveryDepth() throws Exception {
    Request sent = padded();
    assertThat(sent.getSerializedSize()).isGreaterThan(150_000);
    ByteBuf in = Unpooled.wrappedBuffer(sent.toByteArray());
    Request decoded = Encoding.PROTOBUF.decode(in, Request.newBuilder()).build();
    in.release();

    assertThat(decoded).isEqualTo(HI);
    assertThat(decoded.getUnknownFields().asMap()).isEmpty();
    assertThat(decoded.getSendMessage().getUnknownFields().asMap()).isEmpty();
    assertThat(decoded.getSendMessage().getText().getUnknownFields().asMap()).isEmpty();
    // What goes on to the message service is the request as the schema knows it.
    assertThat(decoded.getSerializedSize()).isEqualTo(HI.getSerializedSize());
  }

  @Test
  void jsonNeverCarriesUnknownFields() throws Exception {
    String json =
        "{\"requestId\":4,\"padding\":\""
            + "x".repeat(1000)
            + "\",\"sendMessage\":{\"conversationId\":\"77\","
            + "\"clientMsgId\":\"c-1\",\"text\":{\"text\":\"hi\",\"padding\":\""
            + "x".repeat(1000)
            + "\"}}}";
    ByteBuf in = Unpooled.copiedBuffer(json, StandardCharsets.UTF_8);
    Request decoded = Encoding.JSON.decode(in, Request.newBuilder()).build();
    in.release();

    assertThat(decoded).isEqualTo(HI);
    assertThat(decoded.getSendMessage().getText().getUnknownFields().asMap()).isEmpty();
  }

  @Test
  void aZeroTagIsStillMalformed() {
    byte[] valid = HI.toByteArray();
    byte[] withZeroTag =
        Arrays.copyOf(valid, valid.length + 2); // ends in tag 0, which no field has
    ByteBuf in = Unpooled.wrappedBuffer(withZeroTag);
    assertThatThrownBy(() -> Encoding.PROTOBUF.decode(in, Request.newBuilder()))
        .isInstanceOf(MalformedInputException.class);
    in.release();
  }
}
