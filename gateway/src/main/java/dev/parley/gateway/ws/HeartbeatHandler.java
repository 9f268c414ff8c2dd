package dev.parley.gateway.ws;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Sends a WebSocket ping whenever nothing was read for heartbeat-interval (and again every interval
 * while the silence lasts). The client's pong is inbound traffic and resets {@link
 * IdleTimeoutHandler}; heartbeat-interval must therefore be well below idle-timeout. Installed
 * right after the idle-timeout handler once an upgrade is accepted, so it sees the same raw reads.
 * The ping is written from the pipeline's tail so that it passes the WebSocket encoder.
 */
public final class HeartbeatHandler extends IdleStateHandler {
  public HeartbeatHandler(Duration interval) {
    super(interval.toMillis(), 0, 0, TimeUnit.MILLISECONDS);
  }

  @Override
  protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
    if (!Closer.closing(ctx.channel())) ctx.channel().writeAndFlush(new PingWebSocketFrame());
  }
}
