package dev.parley.gateway.http;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import dev.parley.common.error.ErrorCodes;
import dev.parley.gateway.codec.Encoding;
import dev.parley.gateway.net.ClientAddress;
import dev.parley.proto.client.Error;
import dev.parley.proto.client.Error.Reason;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches plain HTTP requests by path; passes {@code GET <ws-path>} on, untouched, to the
 * WebSocket handlers behind it. Unknown path: 404; known path, other method: 405.
 *
 * <p>Ordering: HTTP/1.1 answers must leave in request order, but endpoints answer asynchronously.
 * So one request is served at a time per connection: while one is pending, reading stops (autoRead
 * off) and requests already decoded from the same read wait in {@link #queued}, which therefore
 * holds at most one read's worth. All state is confined to the channel's event loop.
 */
public final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(HttpRouter.class);

  private final Map<String, HttpRoute> routes;
  private final String webSocketPath;
  private final ArrayDeque<FullHttpRequest> queued = new ArrayDeque<>();
  private boolean busy;

  public HttpRouter(Map<String, HttpRoute> routes, String webSocketPath) {
    super(false); // requests are released by this class, or handed on to the WebSocket handlers
    this.routes = routes;
    this.webSocketPath = webSocketPath;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    if (busy) {
      queued.add(req);
      return;
    }
    dispatch(ctx, req);
  }

  private void dispatch(ChannelHandlerContext ctx, FullHttpRequest req) {
    if (!req.decoderResult().isSuccess()) {
      finish(
          ctx,
          req,
          error(req, HttpResponseStatus.BAD_REQUEST, Reason.BAD_REQUEST, "Malformed HTTP request"));
      return;
    }
    String path = new QueryStringDecoder(req.uri()).path();
    if (path.equals(webSocketPath)) {
      if (req.method().equals(HttpMethod.GET)) {
        ctx.fireChannelRead(req);
      } else {
        finish(ctx, req, methodNotAllowed(req, HttpMethod.GET));
      }
      return;
    }
    HttpRoute route = routes.get(path);
    if (route == null) {
      finish(ctx, req, error(req, HttpResponseStatus.NOT_FOUND, Reason.NOT_FOUND, "No such path"));
      return;
    }
    if (!route.method().equals(req.method()) && !headOfGet(req, route)) {
      finish(ctx, req, methodNotAllowed(req, route.method()));
      return;
    }
    ListenableFuture<HttpReply> reply;
    try {
      reply = route.endpoint().handle(req, ClientAddress.of(ctx.channel()));
    } catch (RuntimeException e) {
      log.error("HTTP endpoint {} failed", path, e);
      reply = Futures.immediateFuture(internalError());
    }
    if (reply.isDone()) {
      finish(ctx, req, done(reply, path));
      return;
    }
    busy = true;
    ctx.channel().config().setAutoRead(false);
    Futures.addCallback(
        reply,
        new FutureCallback<HttpReply>() {
          @Override
          @SuppressWarnings(
              "NullAway") // Guava declares V nullable; this future never completes with null
          public void onSuccess(HttpReply r) {
            complete(ctx, req, r);
          }

          @Override
          public void onFailure(Throwable t) {
            log.error("HTTP endpoint {} failed", path, t);
            complete(ctx, req, internalError());
          }
        },
        task -> {
          try {
            ctx.executor().execute(task);
          } catch (RejectedExecutionException e) {
            req.release(); // event loop gone: the connection is gone too
          }
        });
  }

  @SuppressWarnings(
      "NullAway") // Guava declares getDone nullable; reply futures never complete with null
  private static HttpReply done(ListenableFuture<HttpReply> reply, String path) {
    try {
      return Futures.getDone(reply);
    } catch (ExecutionException | CancellationException e) {
      log.error("HTTP endpoint {} failed", path, e);
      return internalError();
    }
  }

  private void complete(ChannelHandlerContext ctx, FullHttpRequest req, HttpReply reply) {
    busy = false;
    finish(ctx, req, reply);
    ctx.channel().config().setAutoRead(true);
    FullHttpRequest next;
    while (!busy && (next = queued.poll()) != null) dispatch(ctx, next);
  }

  /** Writes the reply and releases the request. */
  private static void finish(ChannelHandlerContext ctx, FullHttpRequest req, HttpReply reply) {
    boolean keepAlive = HttpUtil.isKeepAlive(req) && req.decoderResult().isSuccess();
    req.release();
    FullHttpResponse response = reply.toResponse(keepAlive);
    if (req.method().equals(HttpMethod.HEAD)) {
      // The GET answer's status and headers (Content-Length included), without its body.
      FullHttpResponse head = response.replace(Unpooled.EMPTY_BUFFER);
      response.release();
      response = head;
    }
    if (keepAlive) {
      ctx.writeAndFlush(response);
    } else {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    FullHttpRequest r;
    while ((r = queued.poll()) != null) r.release();
    ctx.fireChannelInactive();
  }

  /** HEAD is GET without the body (RFC 9110 9.3.2): every GET route answers it. */
  private static boolean headOfGet(FullHttpRequest req, HttpRoute route) {
    return req.method().equals(HttpMethod.HEAD) && route.method().equals(HttpMethod.GET);
  }

  private static HttpReply methodNotAllowed(FullHttpRequest req, HttpMethod allowed) {
    String allow = allowed.equals(HttpMethod.GET) ? "GET, HEAD" : allowed.name();
    return error(req, HttpResponseStatus.METHOD_NOT_ALLOWED, Reason.BAD_REQUEST, "Use " + allowed)
        .withHeader(HttpHeaderNames.ALLOW.toString(), allow);
  }

  private static HttpReply internalError() {
    Error e = ErrorCodes.error(Reason.INTERNAL, "Internal error");
    return HttpReply.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, e, Encoding.JSON);
  }

  /** An error in the request's encoding when it names one of ours, JSON otherwise. */
  private static HttpReply error(
      FullHttpRequest req, HttpResponseStatus status, Reason reason, String message) {
    Encoding encoding = Encoding.ofContentType(HttpUtil.getMimeType(req));
    Error e = ErrorCodes.error(reason, message);
    return HttpReply.error(status, e, encoding != null ? encoding : Encoding.JSON);
  }
}
