package dev.parley.gateway.ws;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import dev.parley.common.error.ErrorCodes;
import dev.parley.common.grpc.CallContext;
import dev.parley.common.grpc.GrpcErrors;
import dev.parley.common.grpc.LogContext;
import dev.parley.gateway.codec.Encoding;
import dev.parley.gateway.delivery.Recipient;
import dev.parley.gateway.net.ClientAddress;
import dev.parley.gateway.routing.Route;
import dev.parley.proto.client.AuthenticateResponse;
import dev.parley.proto.client.Error;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.Event;
import dev.parley.proto.client.GoAway;
import dev.parley.proto.client.PingResponse;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.Request.OpCase;
import dev.parley.proto.client.Response;
import dev.parley.proto.client.ServerFrame;
import dev.parley.proto.client.SetTypingResponse;
import dev.parley.proto.internal.Principal;
import dev.parley.proto.internal.TouchSessionResponse;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.HandshakeComplete;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection after the upgrade: authentication, requests, events, draining.
 *
 * <p>Threading: every field is confined to the channel's event loop. Service calls complete on gRPC
 * threads and hop back through {@link #loop}; deliveries and go-away arrive from other threads
 * through {@link Registration#deliver} and {@link #goAway}, which also hop. Nothing here blocks.
 *
 * <p>Life: the client has auth-timeout after the handshake to authenticate (else 4001). Before that
 * only {@code authenticate} and {@code ping} are served. Once authenticated the connection is in
 * the {@link dev.parley.gateway.delivery.ConnectionRegistry} until it closes, and its session is
 * touched every session-touch-interval (an inactive session closes it with 4002).
 *
 * <p>Limits: at most max-in-flight-requests forwarded calls at once (more are refused with
 * TOO_MANY_IN_FLIGHT, not queued); ten undecodable frames in a row close it with 4004. After {@link
 * #goAway} no new call is forwarded and the connection closes (1001) when its last call ends.
 */
public final class ConnectionHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);
  static final int MAX_BAD_FRAMES = 10;

  private enum State {
    AWAITING_AUTH,
    AUTHENTICATING,
    AUTHENTICATED
  }

  private final ConnectionSupport support;
  private final ConnectionSupport.Limits limits;
  private final Encoding encoding;

  @SuppressWarnings("NullAway.Init") // set in handlerAdded, before any other callback
  private ChannelHandlerContext ctx;

  @SuppressWarnings("NullAway.Init")
  private Executor loop;

  private String clientIp = "";
  private State state = State.AWAITING_AUTH;
  private @Nullable Registration registration;
  private int inFlight;
  private int badFrames;
  private boolean logoutInFlight;
  private boolean draining;
  private @Nullable ScheduledFuture<?> authTimer;
  private @Nullable ScheduledFuture<?> touchTimer;
  private final TypingLimiter typing;

  public ConnectionHandler(ConnectionSupport support, Encoding encoding) {
    this.support = support;
    this.limits = support.limits();
    this.encoding = encoding;
    this.typing = new TypingLimiter(support.clock());
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.clientIp = ClientAddress.of(ctx.channel());
    this.loop =
        task -> {
          try {
            ctx.executor().execute(task);
          } catch (RejectedExecutionException e) {
            log.debug("Event loop gone; dropping a completion for {}", clientIp);
          }
        };
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof HandshakeComplete) {
      long timeout = limits.authTimeout().toMillis();
      authTimer = ctx.executor().schedule(this::authTimedOut, timeout, TimeUnit.MILLISECONDS);
    }
    ctx.fireUserEventTriggered(evt);
  }

  private void authTimedOut() {
    if (state != State.AUTHENTICATED) {
      support.closer().close(ch(), CloseCode.AUTHENTICATION_FAILED, "authentication timeout");
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Request request) {
      badFrames = 0;
      onRequest(request);
    } else if (msg instanceof BadFrame bad) {
      onBadFrame(bad);
    } else {
      // Control frames are handled before this handler; nothing else is expected here.
      ReferenceCountUtil.release(msg);
    }
  }

  private void onRequest(Request req) {
    int id = req.getRequestId();
    OpCase op = req.getOpCase();
    switch (op) {
      case OP_NOT_SET ->
          fail(id, "unknown", Reason.UNKNOWN_OPERATION, "The frame carries no known operation");
      case PING -> {
        send(
            Response.newBuilder()
                .setRequestId(id)
                .setPing(PingResponse.newBuilder().setServerTimeMs(support.clock().millis())));
        support.metrics().request("ping", "ok", Duration.ZERO);
      }
      case AUTHENTICATE -> authenticate(req);
      default -> {
        Route route = support.routes().get(op);
        if (state != State.AUTHENTICATED) {
          fail(id, name(op), Reason.UNAUTHENTICATED, "Authenticate first");
        } else if (route == null) {
          fail(id, name(op), Reason.UNKNOWN_OPERATION, "Operation not supported by this server");
        } else if (draining) {
          fail(id, name(op), Reason.UNAVAILABLE, "Server is shutting down; reconnect");
        } else if (inFlight >= limits.maxInFlightRequests()) {
          fail(
              id,
              name(op),
              Reason.TOO_MANY_IN_FLIGHT,
              "At most " + limits.maxInFlightRequests() + " requests may await responses");
        } else if (op == OpCase.SET_TYPING) {
          setTyping(req, route);
        } else {
          forward(req, route);
        }
      }
    }
  }

  private void authenticate(Request req) {
    int id = req.getRequestId();
    if (state != State.AWAITING_AUTH) {
      fail(
          id,
          "authenticate",
          Reason.ALREADY_AUTHENTICATED,
          "This connection is already authenticated");
      return;
    }
    if (draining) {
      fail(id, "authenticate", Reason.UNAVAILABLE, "Server is shutting down; reconnect");
      return;
    }
    state = State.AUTHENTICATING;
    long start = System.nanoTime();
    call(
        () -> support.sessions().authenticate(req.getAuthenticate().getAccessToken(), clientIp),
        principal -> authenticated(id, start, principal),
        t -> authenticationFailed(id, start, t));
  }

  private void authenticated(int id, long start, Principal p) {
    support.metrics().request("authenticate", "ok", since(start));
    if (!writable()) return; // timed out or closed while the call was running
    state = State.AUTHENTICATED;
    if (authTimer != null) authTimer.cancel(false);
    registration = new Registration(p.getUserId(), p.getSessionId());
    support.registry().register(registration);
    send(
        Response.newBuilder()
            .setRequestId(id)
            .setAuthenticate(
                AuthenticateResponse.newBuilder()
                    .setUserId(p.getUserId())
                    .setSessionId(p.getSessionId())
                    .setServerTimeMs(support.clock().millis())
                    .setHeartbeatIntervalMs((int) limits.heartbeatInterval().toMillis())
                    .setIdleTimeoutMs((int) limits.idleTimeout().toMillis())));
    // Authenticate recorded the session's activity; the next touch is due one interval later.
    long every = limits.sessionTouchInterval().toMillis();
    touchTimer =
        ctx.executor().scheduleAtFixedRate(this::touch, every, every, TimeUnit.MILLISECONDS);
    closeIfDrained();
  }

  private void authenticationFailed(int id, long start, Throwable t) {
    Error e = GrpcErrors.toError(t);
    support.metrics().request("authenticate", e.getReason().name(), since(start));
    log.debug("Authentication from {} failed: {}", clientIp, e.getReason());
    state = State.AWAITING_AUTH;
    send(Response.newBuilder().setRequestId(id).setError(e));
    support.closer().close(ch(), CloseCode.AUTHENTICATION_FAILED);
  }

  /** Typing goes through the connection's limiter first (TypingLimiter). */
  private void setTyping(Request req, Route route) {
    int id = req.getRequestId();
    switch (typing.decide(req.getSetTyping().getConversationId(), req.getSetTyping().getAction())) {
      case FORWARD -> forward(req, route);
      case SUPPRESS -> {
        send(
            Response.newBuilder()
                .setRequestId(id)
                .setSetTyping(SetTypingResponse.getDefaultInstance()));
        support.metrics().request("set_typing", "suppressed", Duration.ZERO);
      }
      case REFUSE -> {
        send(
            Response.newBuilder()
                .setRequestId(id)
                .setError(
                    ErrorCodes.error(
                        Reason.RATE_LIMITED,
                        "Too many typing indicators on this connection",
                        "",
                        typing.retryAfter())));
        support.metrics().request("set_typing", Reason.RATE_LIMITED.name(), Duration.ZERO);
      }
    }
  }

  private void forward(Request req, Route route) {
    int id = req.getRequestId();
    OpCase op = req.getOpCase();
    long start = System.nanoTime();
    Registration me =
        Objects.requireNonNull(registration, "requests are served only once authenticated");
    CallContext caller = new CallContext(me.userId, me.sessionId, clientIp);
    // One trace per request: the services' log lines for it carry the same trace_id, and their
    // spans are children of the request's span (TraceContext).
    RequestTrace trace = RequestTrace.start(support.tracer(), name(op));
    if (op == OpCase.LOGOUT) logoutInFlight = true;
    try (LogContext ignored = LogContext.open(trace.traceId(), me.userId, me.sessionId)) {
      call(
          () -> trace.in(() -> route.invoke(req, caller, limits.requestTimeout())),
          response -> forwarded(req, start, trace, response.setRequestId(id)),
          t ->
              forwarded(
                  req,
                  start,
                  trace,
                  Response.newBuilder().setRequestId(id).setError(GrpcErrors.toError(t))));
    }
  }

  private void forwarded(Request req, long start, RequestTrace trace, Response.Builder response) {
    Registration me = registration;
    try (LogContext ignored =
        LogContext.open(
            trace.traceId(), me == null ? 0 : me.userId, me == null ? 0 : me.sessionId)) {
      forwarded(req, start, response);
    } finally {
      trace.end(response);
    }
  }

  private void forwarded(Request req, long start, Response.Builder response) {
    OpCase op = req.getOpCase();
    if (op == OpCase.SET_TYPING && response.hasError())
      typing.refused(req.getSetTyping().getConversationId());
    String outcome = response.hasError() ? response.getError().getReason().name() : "ok";
    Duration took = since(start);
    support.metrics().request(name(op), outcome, took);
    // The request log, off by default (a level per logger can be set at run time): with the MDC's
    // trace_id it leads from a slow or failed request to its trace.
    log.debug("Request {} answered {} in {} ms", name(op), outcome, took.toMillis());
    send(response);
    if (op == OpCase.LOGOUT) {
      logoutInFlight = false;
      if (!response.hasError()) support.closer().close(ch(), CloseCode.LOGGED_OUT);
    }
    closeIfDrained();
  }

  /**
   * Starts a service call counted as in flight (here and gateway-wide) and runs exactly one of the
   * callbacks on the event loop when it ends. The count drops before the callback runs.
   */
  private <T> void call(
      Supplier<ListenableFuture<T>> start, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
    inFlight++;
    support.inFlight().begin();
    ListenableFuture<T> future;
    try {
      future = start.get();
    } catch (RuntimeException e) {
      future = Futures.immediateFailedFuture(e);
    }
    Futures.addCallback(
        future,
        new FutureCallback<T>() {
          @Override
          @SuppressWarnings(
              "NullAway") // Guava declares V nullable; this future never completes with null
          public void onSuccess(T result) {
            ended();
            onSuccess.accept(result);
          }

          @Override
          public void onFailure(Throwable t) {
            ended();
            onFailure.accept(t);
          }
        },
        loop);
  }

  private void ended() {
    inFlight--;
    support.inFlight().end();
  }

  private void touch() {
    Registration me = registration;
    if (me == null || !writable()) return;
    Futures.addCallback(
        support.sessions().touch(me.userId, me.sessionId, clientIp),
        new FutureCallback<TouchSessionResponse>() {
          @Override
          @SuppressWarnings(
              "NullAway") // Guava declares V nullable; this future never completes with null
          public void onSuccess(TouchSessionResponse r) {
            if (!r.getActive()) support.closer().close(ch(), CloseCode.SESSION_REVOKED);
          }

          @Override
          public void onFailure(Throwable t) {
            log.debug("TouchSession for session {} failed: {}", me.sessionId, t.toString());
          }
        },
        loop);
  }

  private void onBadFrame(BadFrame bad) {
    badFrames++;
    log.debug("Bad frame from {}: {}", clientIp, bad.problem());
    fail(0, "invalid", Reason.BAD_REQUEST, bad.problem());
    if (badFrames >= MAX_BAD_FRAMES) support.closer().close(ch(), CloseCode.TOO_MANY_BAD_FRAMES);
  }

  /**
   * Shutdown: tells the client to reconnect elsewhere after {@code reconnectAfterMs}, refuses new
   * calls, and closes with 1001 once the calls in flight have been answered. Any thread.
   */
  public void goAway(int reconnectAfterMs) {
    loop.execute(
        () -> {
          if (draining) return;
          draining = true;
          if (writable()) {
            GoAway goAway =
                GoAway.newBuilder()
                    .setReconnectAfterMs(reconnectAfterMs)
                    .setReason("shutdown")
                    .build();
            ctx.writeAndFlush(
                ServerFrame.newBuilder().setEvent(Event.newBuilder().setGoAway(goAway)).build());
          }
          closeIfDrained();
        });
  }

  private void closeIfDrained() {
    if (draining && inFlight == 0)
      support.closer().close(ch(), CloseCode.GOING_AWAY, "server shutting down");
  }

  private void onDelivery(@Nullable WebSocketFrame frame, boolean disconnect, Runnable written) {
    if (!writable()) {
      ReferenceCountUtil.release(frame);
      written.run();
      return;
    }
    if (frame != null) {
      if (written == Recipient.NOTHING) {
        ctx.writeAndFlush(frame);
      } else {
        ctx.writeAndFlush(frame).addListener(f -> written.run());
      }
    } else {
      written.run();
    }
    // The logout path closes its own connection (1000) after the answer; don't race it with 4002.
    if (disconnect && !logoutInFlight) support.closer().close(ch(), CloseCode.SESSION_REVOKED);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (authTimer != null) authTimer.cancel(false);
    if (touchTimer != null) touchTimer.cancel(false);
    Registration me = registration;
    if (me != null) {
      support.registry().unregister(me);
      support.sessions().touch(me.userId, me.sessionId, clientIp); // last seen; the answer is moot
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Closer closer = support.closer();
    // Expected client misbehaviour costs one DEBUG line and a counter, never a stack trace: a
    // client could otherwise fill the log at will.
    if (cause instanceof CorruptedWebSocketFrameException c) {
      // The decoder refused a frame (unmasked, over the limit, bad close code...) and sent
      // nothing: this is the connection's one close frame.
      CloseCode code =
          CloseCode.forDecoderStatus(c.closeStatus() != null ? c.closeStatus().code() : 1002);
      log.debug("Corrupt frame from {}: {}", clientIp, c.getMessage());
      support.metrics().clientFault("corrupt-frame");
      closer.close(ch(), code);
    } else if (cause instanceof PrematureChannelClosureException) {
      // The connection dropped between the fragments of a message (the aggregator's complaint).
      log.debug("Connection from {} dropped in the middle of a message", clientIp);
      support.metrics().clientFault("dropped-mid-message");
    } else if (cause instanceof TooLongFrameException) {
      log.debug("Oversize message from {}: {}", clientIp, cause.getMessage());
      closer.close(ch(), CloseCode.MESSAGE_TOO_BIG);
    } else if (cause instanceof DecoderException) {
      log.debug("Protocol error from {}: {}", clientIp, cause.toString());
      closer.close(ch(), CloseCode.PROTOCOL_ERROR);
    } else if (cause instanceof IOException) {
      log.debug("Connection from {} failed: {}", clientIp, cause.toString());
      ctx.close();
    } else {
      log.warn("Unexpected failure on the connection from {}", clientIp, cause);
      closer.close(ch(), CloseCode.INTERNAL_ERROR);
    }
  }

  private void fail(int id, String op, Reason reason, String message) {
    send(Response.newBuilder().setRequestId(id).setError(ErrorCodes.error(reason, message)));
    support.metrics().request(op, reason.name(), Duration.ZERO);
  }

  private void send(Response.Builder response) {
    if (writable()) ctx.writeAndFlush(ServerFrame.newBuilder().setResponse(response).build());
  }

  /** Open and not closing: frames written now can still reach the client. */
  private boolean writable() {
    return ch().isActive() && !Closer.closing(ch());
  }

  private Channel ch() {
    return ctx.channel();
  }

  private static String name(OpCase op) {
    return op.name().toLowerCase(Locale.ROOT);
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /** This connection in the registry; identity fixed at authentication. */
  private final class Registration implements Recipient {
    private final long userId;
    private final long sessionId;

    Registration(long userId, long sessionId) {
      this.userId = userId;
      this.sessionId = sessionId;
    }

    @Override
    public long userId() {
      return userId;
    }

    @Override
    public long sessionId() {
      return sessionId;
    }

    @Override
    public Encoding encoding() {
      return encoding;
    }

    @Override
    public void deliver(@Nullable WebSocketFrame frame, boolean disconnect) {
      deliver(frame, disconnect, Recipient.NOTHING);
    }

    @Override
    public void deliver(@Nullable WebSocketFrame frame, boolean disconnect, Runnable written) {
      try {
        ctx.executor().execute(() -> onDelivery(frame, disconnect, written));
      } catch (RejectedExecutionException e) {
        ReferenceCountUtil.release(frame);
        written.run();
      }
    }
  }
}
