package dev.parley.gateway.http;

import dev.parley.common.error.ErrorCodes;
import dev.parley.gateway.codec.Encoding;
import dev.parley.proto.client.Error;
import dev.parley.proto.client.Error.Reason;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Netty's aggregator (bodies up to max-http-body-bytes are buffered whole), answering an oversize
 * body with our 413 FRAME_TOO_LARGE error instead of an empty 413.
 *
 * <p>Like Netty's own handling: when the rest of the body can still be skipped (keep-alive, not yet
 * fully received) the connection stays open and the aggregator discards the remainder; otherwise it
 * is closed after the answer. Closing while the client is still sending would reset the connection
 * and could lose the answer.
 */
public final class BodyLimitAggregator extends HttpObjectAggregator {
  private final int maxBytes;

  public BodyLimitAggregator(int maxBytes) {
    super(maxBytes);
    this.maxBytes = maxBytes;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized)
      throws Exception {
    if (!(oversized instanceof HttpRequest request)) {
      super.handleOversizedMessage(ctx, oversized);
      return;
    }
    Encoding encoding = Encoding.ofContentType(HttpUtil.getMimeType(request));
    Error e = ErrorCodes.error(Reason.FRAME_TOO_LARGE, "Body larger than " + maxBytes + " bytes");
    boolean close =
        oversized instanceof FullHttpMessage
            || (!HttpUtil.is100ContinueExpected(request) && !HttpUtil.isKeepAlive(request));
    FullHttpResponse response =
        HttpReply.error(
                HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                e,
                encoding != null ? encoding : Encoding.JSON)
            .toResponse(!close);
    ctx.writeAndFlush(response)
        .addListener(close ? ChannelFutureListener.CLOSE : ChannelFutureListener.CLOSE_ON_FAILURE);
  }
}
