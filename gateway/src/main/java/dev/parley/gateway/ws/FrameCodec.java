package dev.parley.gateway.ws;

import dev.parley.gateway.codec.Encoding;
import dev.parley.gateway.codec.MalformedInputException;
import dev.parley.gateway.metrics.GatewayMetrics;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.Objects;

/**
 * Data frames ⇄ protocol messages, in the connection's one encoding.
 *
 * <p>Inbound: a text (JSON) or binary (protobuf) frame becomes a {@link Request}; a frame that
 * cannot be decoded, or has the other type than the connection's encoding, becomes a {@link
 * BadFrame} so the connection can answer it and count it. Every inbound frame is released here. A
 * frame over max-frame-bytes raises {@link TooLongFrameException} (Netty's decoder and aggregator
 * normally stop those first; this is the last line).
 *
 * <p>Outbound: a {@link ServerFrame} is encoded into a new frame; frames that arrive already
 * encoded (event fan-out) pass unchanged. Both count as frames out.
 */
public final class FrameCodec extends ChannelDuplexHandler {
  private final Encoding encoding;
  private final int maxFrameBytes;
  private final GatewayMetrics metrics;

  public FrameCodec(Encoding encoding, int maxFrameBytes, GatewayMetrics metrics) {
    this.encoding = encoding;
    this.maxFrameBytes = maxFrameBytes;
    this.metrics = metrics;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws TooLongFrameException {
    if (!(msg instanceof TextWebSocketFrame) && !(msg instanceof BinaryWebSocketFrame)) {
      ctx.fireChannelRead(msg);
      return;
    }
    WebSocketFrame frame = (WebSocketFrame) msg;
    Object decoded;
    try {
      metrics.frameIn(encoding);
      ByteBuf content = frame.content();
      if (content.readableBytes() > maxFrameBytes) {
        throw new TooLongFrameException("Frame of " + content.readableBytes() + " bytes");
      }
      decoded = decode(frame);
    } finally {
      frame.release();
    }
    ctx.fireChannelRead(decoded);
  }

  private Object decode(WebSocketFrame frame) {
    boolean text = frame instanceof TextWebSocketFrame;
    if (text != (encoding == Encoding.JSON)) {
      return new BadFrame(
          encoding == Encoding.JSON
              ? "Binary frame on a JSON connection"
              : "Text frame on a protobuf connection");
    }
    try {
      return encoding.decode(frame.content(), Request.newBuilder()).build();
    } catch (MalformedInputException e) {
      return new BadFrame(Objects.requireNonNullElse(e.getMessage(), "malformed frame"));
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof ServerFrame frame) {
      ByteBuf bytes = encoding.encode(frame, ctx.alloc());
      msg =
          encoding == Encoding.PROTOBUF
              ? new BinaryWebSocketFrame(bytes)
              : new TextWebSocketFrame(bytes);
    }
    if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
      metrics.frameOut(encoding);
    }
    ctx.write(msg, promise);
  }
}
