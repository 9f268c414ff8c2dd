package dev.parley.gateway.ws;

import dev.parley.gateway.metrics.GatewayMetrics;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.util.AttributeKey;

/**
 * Server-initiated WebSocket close: one close frame with our code, then the TCP connection.
 *
 * <p>Only the first close of a channel counts; later calls (a delivery racing an idle timeout, say)
 * do nothing. The close frame goes through the whole pipeline, so Netty's WebSocket protocol
 * handler sees it: it drops every frame written after it, and its {@code close()} waits for the
 * close frame to be flushed, at most its force-close timeout, so a client that stopped reading
 * cannot keep the socket. Thread-safe: the work runs on the channel's event loop.
 */
public final class Closer {
  private static final AttributeKey<Integer> CLOSED_WITH =
      AttributeKey.valueOf("parley.closedWith");

  private final GatewayMetrics metrics;

  public Closer(GatewayMetrics metrics) {
    this.metrics = metrics;
  }

  public void close(Channel ch, CloseCode code) {
    close(ch, code, code.defaultReason());
  }

  public void close(Channel ch, CloseCode code, String reason) {
    if (!ch.eventLoop().inEventLoop()) {
      ch.eventLoop().execute(() -> close(ch, code, reason));
      return;
    }
    if (ch.attr(CLOSED_WITH).setIfAbsent(code.code()) != null) return;
    metrics.close(code.code());
    if (!ch.isActive()) {
      ch.close();
      return;
    }
    ch.writeAndFlush(new CloseWebSocketFrame(code.code(), reason));
    ch.close();
  }

  /** True once a close was started for this channel. Event loop or any thread. */
  public static boolean closing(Channel ch) {
    return ch.attr(CLOSED_WITH).get() != null;
  }
}
