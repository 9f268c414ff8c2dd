package dev.parley.gateway;

import dev.parley.gateway.codec.Encoding;
import dev.parley.gateway.http.BodyLimitAggregator;
import dev.parley.gateway.http.HttpFaults;
import dev.parley.gateway.http.HttpRoute;
import dev.parley.gateway.http.HttpRouter;
import dev.parley.gateway.http.RequestHeadDeadline;
import dev.parley.gateway.net.ClientAddress;
import dev.parley.gateway.net.ConnectionLimits;
import dev.parley.gateway.ws.BackPressureHandler;
import dev.parley.gateway.ws.Closer;
import dev.parley.gateway.ws.ConnectionHandler;
import dev.parley.gateway.ws.ConnectionSupport;
import dev.parley.gateway.ws.FrameCodec;
import dev.parley.gateway.ws.HeartbeatHandler;
import dev.parley.gateway.ws.IdleTimeoutHandler;
import dev.parley.gateway.ws.OriginPolicy;
import dev.parley.gateway.ws.WebSocketGate;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds each accepted connection's pipeline, one concern per handler:
 *
 * <pre>
 * every connection: [tls] → idle-timeout → head-deadline → http-codec → head-deadline-heads
 *                     → http-aggregator → http-router → ws-gate → ws-protocol → http-faults
 * added by ws-gate: heartbeat (right after idle-timeout), and at the end
 *                     ws-aggregator → back-pressure → frame-codec → connection
 * </pre>
 *
 * The handshake replaces http-codec with Netty's WebSocket frame decoder/encoder and removes
 * http-aggregator; http-router and ws-gate stay but only ever see HTTP requests; ws-gate removes
 * the head deadline and http-faults (the connection handler takes over). A socket beyond the
 * connection limits ({@link ConnectionLimits}) gets no pipeline: it is closed at once. Buffer
 * limits: an HTTP body is aggregated up to max-http-body-bytes, a WebSocket message (all its
 * fragments) up to max-frame-bytes; nothing else is buffered on the inbound side.
 */
final class GatewayInitializer extends ChannelInitializer<Channel> {
  private static final Logger log = LoggerFactory.getLogger(GatewayInitializer.class);
  static final String WEBSOCKET_PATH = "/ws";

  /** How long a close frame may take to leave before the socket is closed anyway. */
  private static final long CLOSE_FLUSH_TIMEOUT_MILLIS = 3_000;

  private final GatewayConfig config;
  private final @Nullable SslContext tls;
  private final Map<String, HttpRoute> routes;
  private final ConnectionSupport support;
  private final OriginPolicy origins;
  private final AtomicInteger openWebSockets;
  private final ConnectionLimits limits;
  private final BooleanSupplier shuttingDown;
  private final ChannelGroup accepted;
  private final WebSocketServerProtocolConfig webSocketConfig;

  GatewayInitializer(
      GatewayConfig config,
      @Nullable SslContext tls,
      Map<String, HttpRoute> routes,
      ConnectionSupport support,
      AtomicInteger openWebSockets,
      ConnectionLimits limits,
      BooleanSupplier shuttingDown,
      ChannelGroup accepted) {
    this.config = config;
    this.tls = tls;
    this.routes = routes;
    this.support = support;
    this.origins = new OriginPolicy(config.allowedOrigins());
    this.openWebSockets = openWebSockets;
    this.limits = limits;
    this.shuttingDown = shuttingDown;
    this.accepted = accepted;
    this.webSocketConfig =
        WebSocketServerProtocolConfig.newBuilder()
            .websocketPath(WEBSOCKET_PATH)
            .checkStartsWith(true) // the router has already matched the exact path; allow a query
            .subprotocols(Encoding.PROTOBUF.subprotocol() + "," + Encoding.JSON.subprotocol())
            .handleCloseFrames(true)
            // A close without an explicit code tells the client to come back (1001), never "logged
            // out" (1000).
            .sendCloseFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE)
            .forceCloseTimeoutMillis(CLOSE_FLUSH_TIMEOUT_MILLIS)
            .decoderConfig(
                WebSocketDecoderConfig.newBuilder()
                    .maxFramePayloadLength(config.maxFrameBytes())
                    .allowExtensions(false)
                    // Our ConnectionHandler sends the one close frame, with the decoder's code.
                    // Netty's own would leave the protocol handler unaware that a close was sent
                    // (it would add a 1001), and after an invalid client close it sends none.
                    .closeOnProtocolViolation(false)
                    // Invalid UTF-8 gets a BAD_REQUEST answer from the frame codec, not a 1007
                    // close.
                    .withUTF8Validator(false)
                    .build())
            .build();
  }

  @Override
  protected void initChannel(Channel ch) {
    String ip = ClientAddress.of(ch);
    ConnectionLimits.Refusal refusal = limits.admit(ip);
    if (refusal != null) {
      // Before any byte is read: nothing to answer, and a refusal must cost next to nothing.
      log.debug("Connection from {} refused: {}", ip, refusal.tag());
      support.metrics().connectionRefused(refusal.tag());
      ch.close();
      return;
    }
    ch.closeFuture().addListener(f -> limits.release(ip));
    accepted.add(ch);
    Closer closer = support.closer();
    RequestHeadDeadline deadline =
        new RequestHeadDeadline(config.handshakeTimeout(), support.metrics());
    ChannelPipeline p = ch.pipeline();
    if (tls != null) p.addLast("tls", tls.newHandler(ch.alloc()));
    p.addLast("idle-timeout", new IdleTimeoutHandler(config.idleTimeout(), closer));
    p.addLast(RequestHeadDeadline.BYTES, deadline.bytes());
    p.addLast("http-codec", new HttpServerCodec());
    p.addLast(RequestHeadDeadline.HEADS, deadline.heads());
    p.addLast("http-aggregator", new BodyLimitAggregator(config.maxHttpBodyBytes()));
    p.addLast("http-router", new HttpRouter(routes, WEBSOCKET_PATH));
    p.addLast(
        "ws-gate",
        new WebSocketGate(origins, openWebSockets, shuttingDown, this::installWebSocket));
    p.addLast("ws-protocol", new WebSocketServerProtocolHandler(webSocketConfig));
    p.addLast(HttpFaults.NAME, new HttpFaults(support.metrics()));
  }

  private void installWebSocket(Channel ch, Encoding encoding) {
    ChannelPipeline p = ch.pipeline();
    RequestHeadDeadline.removeFrom(p);
    p.remove(HttpFaults.NAME); // the connection handler answers for faults from now on
    p.addAfter("idle-timeout", "heartbeat", new HeartbeatHandler(config.heartbeatInterval()));
    p.addLast("ws-aggregator", new WebSocketFrameAggregator(config.maxFrameBytes()));
    p.addLast(
        "back-pressure", new BackPressureHandler(config.outboundLimitBytes(), support.closer()));
    p.addLast("frame-codec", new FrameCodec(encoding, config.maxFrameBytes(), support.metrics()));
    p.addLast("connection", new ConnectionHandler(support, encoding));
  }
}
