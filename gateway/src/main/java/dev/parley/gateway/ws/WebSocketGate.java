package dev.parley.gateway.ws;

import dev.parley.common.error.ErrorCodes;
import dev.parley.gateway.codec.Encoding;
import dev.parley.gateway.http.HttpReply;
import dev.parley.proto.client.Error.Reason;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, before Netty's handshake, whether a WebSocket upgrade may proceed: the Origin must pass
 * the {@link OriginPolicy} (else 403) and the server must not be shutting down (else 503). (The
 * connection limits apply earlier, to every accepted socket: {@link
 * dev.parley.gateway.net.ConnectionLimits}.) An accepted upgrade is counted in {@code open} until
 * the channel closes, gets its encoding from the subprotocol it will be granted, and its
 * per-connection handlers installed; then the request moves on to the handshake.
 */
public final class WebSocketGate extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(WebSocketGate.class);

  private final OriginPolicy origins;
  private final AtomicInteger open;
  private final BooleanSupplier shuttingDown;
  private final WebSocketSetup setup;

  public WebSocketGate(
      OriginPolicy origins,
      AtomicInteger open,
      BooleanSupplier shuttingDown,
      WebSocketSetup setup) {
    super(false); // accepted requests are handed on; refused ones are released here
    this.origins = origins;
    this.open = open;
    this.shuttingDown = shuttingDown;
    this.setup = setup;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    String origin = req.headers().get(HttpHeaderNames.ORIGIN);
    if (!req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
      refuse(
          ctx,
          req,
          HttpResponseStatus.BAD_REQUEST,
          Reason.BAD_REQUEST,
          "WebSocket upgrade expected");
    } else if (!origins.allows(origin, req.headers().get(HttpHeaderNames.HOST))) {
      log.debug("WebSocket from origin {} refused", origin);
      refuse(
          ctx, req, HttpResponseStatus.FORBIDDEN, Reason.PERMISSION_DENIED, "Origin not allowed");
    } else if (onlyRetiredVersions(req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL))) {
      refuse(
          ctx,
          req,
          HttpResponseStatus.BAD_REQUEST,
          Reason.UNSUPPORTED_PROTOCOL_VERSION,
          "Protocol version 1 is no longer served: connect with parley.v2.json or parley.v2.protobuf");
    } else if (shuttingDown.getAsBoolean()) {
      refuse(
          ctx,
          req,
          HttpResponseStatus.SERVICE_UNAVAILABLE,
          Reason.UNAVAILABLE,
          "Server shutting down, retry later");
    } else {
      open.incrementAndGet();
      ctx.channel().closeFuture().addListener(f -> open.decrementAndGet());
      setup.install(
          ctx.channel(), negotiate(req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)));
      ctx.fireChannelRead(req);
    }
  }

  /**
   * The encoding of the subprotocol Netty's handshaker will select: the first requested one that we
   * support (the same rule as its {@code selectSubprotocol}); none requested or none supported:
   * JSON.
   */
  static Encoding negotiate(String requested) {
    if (requested == null) return Encoding.JSON;
    for (String p : requested.split(",")) {
      String name = p.trim();
      for (Encoding e : Encoding.values()) {
        if (e.subprotocol().equals(name)) return e;
      }
    }
    return Encoding.JSON;
  }

  /**
   * True when the client names Parley subprotocols but only of retired versions. Such a client was
   * written for an older protocol whose sync it would run against this server and silently miss
   * group entries (they left the feed in version 2), so it is refused instead of served.
   */
  static boolean onlyRetiredVersions(String requested) {
    if (requested == null) return false;
    boolean retired = false;
    for (String p : requested.split(",")) {
      String name = p.trim();
      for (Encoding e : Encoding.values()) {
        if (e.subprotocol().equals(name)) return false;
      }
      retired |= name.startsWith("parley.v1.");
    }
    return retired;
  }

  private static void refuse(
      ChannelHandlerContext ctx,
      FullHttpRequest req,
      HttpResponseStatus status,
      Reason reason,
      String message) {
    req.release();
    HttpReply reply = HttpReply.error(status, ErrorCodes.error(reason, message), Encoding.JSON);
    ctx.writeAndFlush(reply.toResponse(false)).addListener(ChannelFutureListener.CLOSE);
  }
}
