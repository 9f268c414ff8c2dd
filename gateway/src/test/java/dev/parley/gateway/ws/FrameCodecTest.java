package dev.parley.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.parley.gateway.codec.Encoding;
import dev.parley.gateway.metrics.GatewayMetrics;
import dev.parley.proto.client.PingRequest;
import dev.parley.proto.client.PingResponse;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.Response;
import dev.parley.proto.client.ServerFrame;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
  private static final int MAX = 100;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final GatewayMetrics metrics = new GatewayMetrics(meters, () -> 0, () -> 0, () -> 0);

  private EmbeddedChannel channel(Encoding encoding) {
    return new EmbeddedChannel(new FrameCodec(encoding, MAX, metrics));
  }

  private static final Request PING =
      Request.newBuilder().setRequestId(3).setPing(PingRequest.getDefaultInstance()).build();

  @Test
  void decodesJsonTextFrames() {
    EmbeddedChannel ch = channel(Encoding.JSON);
    ch.writeInbound(
        new TextWebSocketFrame("{\"requestId\": 3, \"ping\": {}, \"unknownField\": true}"));
    assertThat((Object) ch.readInbound()).isEqualTo(PING);
    assertThat(meters.counter("parley.gateway.frames.in", "encoding", "json").count()).isEqualTo(1);
    assertFalse(ch.finishAndReleaseAll());
  }

  @Test
  void decodesProtobufBinaryFrames() {
    EmbeddedChannel ch = channel(Encoding.PROTOBUF);
    ch.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(PING.toByteArray())));
    assertThat((Object) ch.readInbound()).isEqualTo(PING);
    assertFalse(ch.finishAndReleaseAll());
  }

  @Test
  void garbageBecomesABadFrame() {
    EmbeddedChannel proto = channel(Encoding.PROTOBUF);
    proto.writeInbound(
        new BinaryWebSocketFrame(
            Unpooled.wrappedBuffer(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff})));
    assertThat((Object) proto.readInbound()).isInstanceOf(BadFrame.class);
    assertFalse(proto.finishAndReleaseAll());

    EmbeddedChannel json = channel(Encoding.JSON);
    json.writeInbound(new TextWebSocketFrame("{\"requestId\": "));
    assertThat(((BadFrame) json.readInbound()).problem()).startsWith("Invalid JSON");
    json.writeInbound(new TextWebSocketFrame("[1, 2]"));
    assertThat((Object) json.readInbound()).isInstanceOf(BadFrame.class);
    assertFalse(json.finishAndReleaseAll());
  }

  @Test
  void invalidUtf8IsABadFrame() {
    EmbeddedChannel ch = channel(Encoding.JSON);
    ByteBuf bytes =
        Unpooled.wrappedBuffer(new byte[] {'{', '"', (byte) 0xc3, (byte) 0x28, '"', '}'});
    ch.writeInbound(new TextWebSocketFrame(bytes));
    assertThat(((BadFrame) ch.readInbound()).problem()).contains("UTF-8");
    assertThat(bytes.refCnt()).isZero();
    assertFalse(ch.finishAndReleaseAll());
  }

  @Test
  void theOtherFrameTypeIsABadFrame() {
    EmbeddedChannel json = channel(Encoding.JSON);
    json.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(PING.toByteArray())));
    assertThat(((BadFrame) json.readInbound()).problem())
        .isEqualTo("Binary frame on a JSON connection");
    assertFalse(json.finishAndReleaseAll());

    EmbeddedChannel proto = channel(Encoding.PROTOBUF);
    proto.writeInbound(new TextWebSocketFrame("{}"));
    assertThat(((BadFrame) proto.readInbound()).problem())
        .isEqualTo("Text frame on a protobuf connection");
    assertFalse(proto.finishAndReleaseAll());
  }

  @Test
  void oversizeFrameIsRejectedAndReleased() {
    EmbeddedChannel ch = channel(Encoding.PROTOBUF);
    ByteBuf big = Unpooled.wrappedBuffer(new byte[MAX + 1]);
    assertThatThrownBy(() -> ch.writeInbound(new BinaryWebSocketFrame(big)))
        .isInstanceOf(TooLongFrameException.class);
    assertThat(big.refCnt()).isZero();
    assertFalse(ch.finishAndReleaseAll());
  }

  @Test
  void oversizeFrameOnTheWireIsClosedWith1009ByNettysDecoder() {
    // The production decoder, configured as the gateway configures it, in front of the codec.
    WebSocketDecoderConfig config =
        WebSocketDecoderConfig.newBuilder()
            .maxFramePayloadLength(MAX)
            .closeOnProtocolViolation(true)
            .withUTF8Validator(false)
            .build();
    EmbeddedChannel ch =
        new EmbeddedChannel(
            new WebSocket13FrameEncoder(false),
            new WebSocket13FrameDecoder(config),
            new FrameCodec(Encoding.JSON, MAX, metrics));
    ByteBuf wire = Unpooled.buffer();
    wire.writeByte(0x81); // FIN, text
    wire.writeByte(0x80 | (MAX + 20)); // masked, 120 bytes
    wire.writeInt(0); // mask key 0: payload as is
    wire.writeBytes(new byte[MAX + 20]);
    assertThatThrownBy(() -> ch.writeInbound(wire))
        .isInstanceOfSatisfying(
            CorruptedWebSocketFrameException.class,
            e -> assertThat(e.closeStatus().code()).isEqualTo(1009));
    ByteBuf close = ch.readOutbound();
    assertThat(close.getUnsignedByte(0)).isEqualTo((short) 0x88); // FIN, close
    assertThat(close.getUnsignedShort(2)).isEqualTo(1009);
    close.release();
    assertThat(ch.isOpen()).isFalse();
    assertFalse(ch.finishAndReleaseAll());
  }

  @Test
  void encodesServerFramesInTheConnectionsEncoding() throws Exception {
    ServerFrame pong =
        ServerFrame.newBuilder()
            .setResponse(
                Response.newBuilder()
                    .setRequestId(3)
                    .setPing(PingResponse.newBuilder().setServerTimeMs(5)))
            .build();

    EmbeddedChannel json = channel(Encoding.JSON);
    json.writeOutbound(pong);
    TextWebSocketFrame text = json.readOutbound();
    assertThat(text.text())
        .isEqualTo("{\"response\":{\"requestId\":3,\"ping\":{\"serverTimeMs\":\"5\"}}}");
    text.release();
    assertThat(meters.counter("parley.gateway.frames.out", "encoding", "json").count())
        .isEqualTo(1);
    assertFalse(json.finishAndReleaseAll());

    EmbeddedChannel proto = channel(Encoding.PROTOBUF);
    proto.writeOutbound(pong);
    BinaryWebSocketFrame binary = proto.readOutbound();
    byte[] bytes = new byte[binary.content().readableBytes()];
    binary.content().readBytes(bytes);
    binary.release();
    assertThat(ServerFrame.parseFrom(bytes)).isEqualTo(pong);
    assertFalse(proto.finishAndReleaseAll());
  }

  @Test
  void passesOtherMessagesThrough() {
    EmbeddedChannel ch = channel(Encoding.JSON);
    TextWebSocketFrame encoded =
        new TextWebSocketFrame(Unpooled.copiedBuffer("{}", StandardCharsets.UTF_8));
    ch.writeOutbound(encoded);
    assertThat((Object) ch.readOutbound()).isSameAs(encoded);
    encoded.release();
    PongWebSocketFrame pong = new PongWebSocketFrame();
    ch.writeInbound(pong);
    assertThat((Object) ch.readInbound()).isSameAs(pong);
    pong.release();
    assertFalse(ch.finishAndReleaseAll());
  }
}
