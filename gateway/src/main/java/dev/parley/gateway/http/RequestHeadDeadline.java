package dev.parley.gateway.http;

import dev.parley.gateway.metrics.GatewayMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Closes a connection whose request head (request line and headers) is not complete within
 * handshake-timeout: of the first request from the moment the socket is accepted (a TLS handshake
 * included), of every later keep-alive request from its first byte. The idle timeout alone cannot
 * stop a client that sends one header byte every few seconds: each byte counts as activity, and
 * such connections would be held forever.
 *
 * <p>Two handlers share the state, one on each side of the HTTP codec: {@link #bytes()} sees the
 * raw bytes and arms the timer when a head begins; {@link #heads()} sees the decoded messages and
 * disarms it when the head is complete; the end of a request makes the next bytes begin a new head.
 * Both are removed at the WebSocket upgrade ({@link #removeFrom}). Event loop only.
 */
public final class RequestHeadDeadline {
  public static final String BYTES = "head-deadline";
  public static final String HEADS = "head-deadline-heads";

  private final long timeoutMillis;
  private final GatewayMetrics metrics;
  private boolean awaitingHead = true;
  private @Nullable ScheduledFuture<?> timer;

  public RequestHeadDeadline(Duration timeout, GatewayMetrics metrics) {
    this.timeoutMillis = timeout.toMillis();
    this.metrics = metrics;
  }

  /** Goes before the HTTP codec. */
  public ChannelInboundHandler bytes() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelActive(ChannelHandlerContext ctx) {
        arm(ctx);
        ctx.fireChannelActive();
      }

      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (awaitingHead) arm(ctx);
        ctx.fireChannelRead(msg);
      }

      @Override
      public void handlerRemoved(ChannelHandlerContext ctx) {
        disarm();
      }
    };
  }

  /** Goes right after the HTTP codec. */
  public ChannelInboundHandler heads() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
          awaitingHead = false;
          disarm();
        }
        if (msg instanceof LastHttpContent) awaitingHead = true;
        ctx.fireChannelRead(msg);
      }
    };
  }

  /** The upgraded connection speaks WebSocket: no more request heads. */
  public static void removeFrom(ChannelPipeline p) {
    if (p.get(BYTES) != null) p.remove(BYTES);
    if (p.get(HEADS) != null) p.remove(HEADS);
  }

  private void arm(ChannelHandlerContext ctx) {
    if (timer != null) return;
    timer =
        ctx.executor()
            .schedule(
                () -> {
                  metrics.clientFault("handshake-timeout");
                  ctx.channel().close();
                },
                timeoutMillis,
                TimeUnit.MILLISECONDS);
  }

  private void disarm() {
    if (timer != null) timer.cancel(false);
    timer = null;
  }
}
