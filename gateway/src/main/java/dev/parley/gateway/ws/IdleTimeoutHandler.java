package dev.parley.gateway.ws;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection from which nothing was read for idle-timeout: a WebSocket with 1001 "idle
 * timeout", a plain HTTP connection silently. Sits first in the pipeline (after TLS), so any
 * inbound bytes count as activity: data frames, pings, pongs, partial frames, HTTP requests. The
 * heartbeat pings ({@link HeartbeatHandler}) make a live client answer well before this fires.
 */
public final class IdleTimeoutHandler extends IdleStateHandler {
  private final Closer closer;

  public IdleTimeoutHandler(Duration idleTimeout, Closer closer) {
    super(idleTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS);
    this.closer = closer;
  }

  @Override
  protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
    if (ctx.pipeline().get(ConnectionHandler.class) != null) {
      closer.close(ctx.channel(), CloseCode.GOING_AWAY, "idle timeout");
    } else {
      ctx.close();
    }
  }
}
