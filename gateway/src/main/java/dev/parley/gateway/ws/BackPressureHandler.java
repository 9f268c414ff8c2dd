package dev.parley.gateway.ws;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;

/**
 * Per-connection outbound flow control.
 *
 * <ul>
 *   <li>The channel's write-buffer water marks (high = outbound-high-water-bytes, low = half, set
 *       on the server bootstrap) flip its writability. While unwritable, this handler stops reading
 *       from the client: a client that does not read its answers cannot make us queue more of them.
 *   <li>Events are pushed regardless of reading, so the queue can still grow. Once more than
 *       outbound-limit-bytes are queued the connection is closed with 4003: the client reconnects
 *       and catches up by sync, which costs less than buffering without bound.
 * </ul>
 *
 * Checked after every write and flush (TLS queues writes until flush). Event-loop confined.
 */
public final class BackPressureHandler extends ChannelDuplexHandler {
  private final long limitBytes;
  private final Closer closer;

  public BackPressureHandler(long limitBytes, Closer closer) {
    this.limitBytes = limitBytes;
    this.closer = closer;
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    ctx.channel().config().setAutoRead(ctx.channel().isWritable());
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    ctx.write(msg, promise);
    checkLimit(ctx);
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    ctx.flush();
    checkLimit(ctx);
  }

  private void checkLimit(ChannelHandlerContext ctx) {
    ChannelOutboundBuffer queued = ctx.channel().unsafe().outboundBuffer();
    if (queued != null && queued.totalPendingWriteBytes() > limitBytes) {
      closer.close(ctx.channel(), CloseCode.TOO_SLOW);
    }
  }
}
