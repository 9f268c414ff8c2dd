package dev.parley.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.gateway.codec.Encoding;
import dev.parley.gateway.codec.MalformedInputException;
import dev.parley.gateway.metrics.GatewayMetrics;
import dev.parley.proto.client.Request;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of inbound frame decoding: protobuf and proto3 JSON {@link Request}s,
 * through the real {@link FrameCodec} in an {@link EmbeddedChannel} (Netty's paranoid leak detector
 * is on in tests, so a leaked buffer fails too).
 *
 * <p>Input layout (so that corpus files can be written by hand): byte 0 chooses the connection's
 * encoding (bit 0: JSON) and whether the frame has the other type (bit 1); the rest is the frame's
 * payload. Seeds live in {@code FrameCodecFuzzTestInputs/frames/}; {@code mvn test} fuzzes for the
 * annotation's duration when JAZZER_FUZZ is set (the build sets it), else it replays the seeds.
 *
 * <p>Properties: the codec never throws (every payload under the frame limit becomes a request or a
 * {@link BadFrame}); a decoded request re-encodes and decodes to itself; nothing leaks.
 */
class FrameCodecFuzzTest {
  private static final int MAX_FRAME_BYTES = 64 * 1024;
  private static final GatewayMetrics METRICS =
      new GatewayMetrics(new SimpleMeterRegistry(), () -> 0, () -> 0, () -> 0);

  @FuzzTest(maxDuration = "20s")
  void frames(byte[] input) throws MalformedInputException {
    if (input.length == 0 || input.length - 1 > MAX_FRAME_BYTES) return;
    Encoding encoding = (input[0] & 1) == 0 ? Encoding.PROTOBUF : Encoding.JSON;
    boolean otherType = (input[0] & 2) != 0;
    byte[] payload = Arrays.copyOfRange(input, 1, input.length);
    boolean text = (encoding == Encoding.JSON) != otherType;
    // A buffer of its own even when empty (Unpooled's shared empty buffer is never released).
    ByteBuf content = Unpooled.buffer(payload.length + 1).writeBytes(payload);
    WebSocketFrame frame =
        text ? new TextWebSocketFrame(content) : new BinaryWebSocketFrame(content);

    EmbeddedChannel ch = new EmbeddedChannel(new FrameCodec(encoding, MAX_FRAME_BYTES, METRICS));
    ch.writeInbound(frame);
    Object decoded = ch.readInbound();
    assertThat(frame.refCnt()).as("the codec releases every inbound frame").isZero();
    assertFalse(ch.finishAndReleaseAll());

    if (otherType) {
      assertThat(decoded).isInstanceOf(BadFrame.class);
    } else if (decoded instanceof Request request) {
      assertRoundTrips(encoding, request);
    } else {
      assertThat(decoded).isInstanceOf(BadFrame.class);
      assertThat(((BadFrame) decoded).problem()).isNotBlank();
    }
  }

  /** What the server decoded it can encode, and that decodes to the same request. */
  private static void assertRoundTrips(Encoding encoding, Request request)
      throws MalformedInputException {
    ByteBuf bytes = Unpooled.wrappedBuffer(encoding.toBytes(request));
    try {
      Request again = encoding.decode(bytes, Request.newBuilder()).build();
      assertThat(again).isEqualTo(request);
    } finally {
      bytes.release();
    }
  }
}
