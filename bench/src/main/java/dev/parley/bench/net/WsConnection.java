package dev.parley.bench.net;

import com.google.protobuf.CodedInputStream;
import dev.parley.client.Encoding;
import dev.parley.proto.client.Event;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.Response;
import dev.parley.proto.client.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.collection.IntObjectHashMap;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One WebSocket to the server's {@code /ws}, speaking the client protocol in either encoding.
 *
 * <p>Concurrency: everything about a connection (its pending requests, its local queue, its
 * listener calls) runs on the connection's event loop, so none of it is locked. {@link #request}
 * may be called from any thread and hops onto the loop. Listeners and replies are called on the
 * loop and must not block.
 *
 * <p>Protocol duties handled here: server pings are answered with pongs by Netty's protocol
 * handler; a close frame from the server is recorded (its code is reported) and echoed; at most
 * {@code maxInFlight} requests await answers (the server's limit is 64 per connection), further
 * requests wait in a local queue, in order. Every request has a deadline; a request not answered in
 * time fails with {@link #TIMEOUT}, a request outstanding when the connection closes fails with
 * {@link #CLOSED}.
 */
public final class WsConnection {
  public static final String TIMEOUT = "timeout";
  public static final String CLOSED = "closed";

  /** Close code reported when the TCP connection ended without a close frame. */
  public static final int ABNORMAL_CLOSE = 1006;

  /** Called on the connection's event loop. */
  public interface Listener {
    void onEvent(Event event, long arrivalNanos);

    /**
     * The connection is gone; {@code code} is the server's close code, or 1006 without a close
     * frame.
     */
    void onClosed(int code, String reason, boolean closedByUs);
  }

  /** The answer to one request; called once, on the event loop. */
  @FunctionalInterface
  public interface Reply {
    /**
     * @param response the server's answer, or null when the request failed locally
     * @param failure null, {@link #TIMEOUT} or {@link #CLOSED}
     * @param nanos {@link System#nanoTime()} when the answer arrived (or the failure was noticed)
     */
    void done(@Nullable Response response, @Nullable String failure, long nanos);
  }

  private record Pending(Reply reply, long deadlineNanos) {}

  private record Queued(Request.Builder request, Reply reply) {}

  private final Channel channel;
  private final Encoding encoding;
  private final Listener listener;
  private final int maxInFlight;
  private final long timeoutNanos;
  private final IntObjectHashMap<Pending> pending = new IntObjectHashMap<>();
  private final ArrayDeque<Queued> queued = new ArrayDeque<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private int nextRequestId = 1;
  private boolean sweepScheduled;
  private boolean closing;
  private boolean closedByUs;
  private int closeCode = ABNORMAL_CLOSE;
  private String closeReason = "";
  private long bytesIn;
  private long framesIn;
  private long queuedTotal;
  private long undecodable;

  private WsConnection(
      Channel channel, Encoding encoding, Listener listener, int maxInFlight, Duration timeout) {
    this.channel = channel;
    this.encoding = encoding;
    this.listener = listener;
    this.maxInFlight = maxInFlight;
    this.timeoutNanos = timeout.toNanos();
  }

  /**
   * Opens a WebSocket to {@code server} ({@code http://host:port}; the path {@code /ws} is added)
   * on {@code loop} and completes once the handshake is done. The caller then sends {@code
   * authenticate} first.
   */
  public static CompletableFuture<WsConnection> open(
      NetLoops loops,
      EventLoop loop,
      URI server,
      Encoding encoding,
      Listener listener,
      int maxInFlight,
      Duration timeout) {
    URI ws = webSocketUri(server);
    CompletableFuture<WsConnection> opened = new CompletableFuture<>();
    WebSocketClientProtocolConfig config =
        WebSocketClientProtocolConfig.newBuilder()
            .webSocketUri(ws)
            .subprotocol(encoding.subprotocol())
            .maxFramePayloadLength(16 << 20)
            .handleCloseFrames(false)
            .dropPongFrames(true)
            .generateOriginHeader(false)
            .handshakeTimeoutMillis(10_000)
            .build();
    ChannelFuture connect =
        loops
            .bootstrap(loop)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    WsConnection c = new WsConnection(ch, encoding, listener, maxInFlight, timeout);
                    ch.pipeline()
                        .addLast(
                            c.new ByteCounter(),
                            new FlushConsolidationHandler(256, true),
                            new HttpClientCodec(),
                            new HttpObjectAggregator(65536),
                            new WebSocketClientProtocolHandler(config),
                            new WebSocketFrameAggregator(16 << 20),
                            c.new FrameHandler(opened));
                  }
                })
            .connect(ws.getHost(), port(ws));
    connect.addListener(
        (ChannelFutureListener)
            f -> {
              if (!f.isSuccess()) opened.completeExceptionally(f.cause());
            });
    return opened;
  }

  static URI webSocketUri(URI server) {
    String scheme =
        switch (server.getScheme()) {
          case "http", "ws" -> "ws";
          default ->
              throw new IllegalArgumentException(
                  "only http:// servers are supported, not " + server);
        };
    return URI.create(scheme + "://" + server.getHost() + ":" + port(server) + "/ws");
  }

  private static int port(URI uri) {
    return uri.getPort() > 0 ? uri.getPort() : 80;
  }

  public EventLoop loop() {
    return channel.eventLoop();
  }

  public boolean isOpen() {
    return channel.isActive() && !closing;
  }

  /** Sends a request (any thread); {@code reply} is called on the event loop. */
  public void request(Request.Builder request, Reply reply) {
    if (channel.eventLoop().inEventLoop()) {
      send(request, reply);
    } else {
      channel.eventLoop().execute(() -> send(request, reply));
    }
  }

  private void send(Request.Builder request, Reply reply) {
    if (!channel.isActive()) {
      reply.done(null, CLOSED, System.nanoTime());
      return;
    }
    if (pending.size() >= maxInFlight) {
      queued.add(new Queued(request, reply));
      queuedTotal++;
      return;
    }
    int id = nextId();
    request.setRequestId(id);
    pending.put(id, new Pending(reply, System.nanoTime() + timeoutNanos));
    channel.writeAndFlush(encode(request.build()));
    scheduleSweep();
  }

  private int nextId() {
    int id;
    do {
      id = nextRequestId++;
      if (nextRequestId <= 0) nextRequestId = 1;
    } while (pending.containsKey(id));
    return id;
  }

  private WebSocketFrame encode(Request request) {
    if (encoding.textFrames()) return new TextWebSocketFrame(Encoding.toJson(request));
    return new BinaryWebSocketFrame(Unpooled.wrappedBuffer(request.toByteArray()));
  }

  private void scheduleSweep() {
    if (sweepScheduled) return;
    sweepScheduled = true;
    channel
        .eventLoop()
        .schedule(
            this::sweep, Math.min(timeoutNanos, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
  }

  /** Fails requests past their deadline; runs while anything is pending. */
  private void sweep() {
    sweepScheduled = false;
    long now = System.nanoTime();
    List<Integer> expired = new ArrayList<>();
    for (IntObjectHashMap.PrimitiveEntry<Pending> e : pending.entries()) {
      if (now - e.value().deadlineNanos() >= 0) expired.add(e.key());
    }
    for (int id : expired) {
      pending.remove(id).reply().done(null, TIMEOUT, now);
    }
    drainQueue();
    if (!pending.isEmpty()) scheduleSweep();
  }

  private void drainQueue() {
    while (!queued.isEmpty() && pending.size() < maxInFlight && channel.isActive()) {
      Queued q = queued.poll();
      send(q.request(), q.reply());
    }
  }

  /** Requests awaiting an answer plus those waiting in the local queue (event loop only). */
  public int outstanding() {
    return pending.size() + queued.size();
  }

  /** Bytes received on the socket (event loop only). */
  public long bytesIn() {
    return bytesIn;
  }

  public long framesIn() {
    return framesIn;
  }

  /** Requests that had to wait in the local queue because {@code maxInFlight} were outstanding. */
  public long queuedTotal() {
    return queuedTotal;
  }

  public CompletableFuture<Void> closeFuture() {
    return closed;
  }

  /**
   * Closes cleanly: a close frame with 1000, then waits for the server's echo and the TCP close
   * (forced after two seconds). Completes when the channel is closed.
   */
  public CompletableFuture<Void> close() {
    channel
        .eventLoop()
        .execute(
            () -> {
              if (closing || !channel.isActive()) {
                if (!closing) closedByUs = true;
                channel.close();
                return;
              }
              closing = true;
              closedByUs = true;
              channel.writeAndFlush(new CloseWebSocketFrame(1000, "bench done"));
              channel
                  .eventLoop()
                  .schedule(
                      () -> {
                        channel.close();
                      },
                      2,
                      TimeUnit.SECONDS);
            });
    return closed;
  }

  private void onInactive() {
    long now = System.nanoTime();
    List<Pending> failed = new ArrayList<>(pending.values());
    pending.clear();
    for (Pending p : failed) p.reply().done(null, CLOSED, now);
    while (!queued.isEmpty()) queued.poll().reply().done(null, CLOSED, now);
    listener.onClosed(closeCode, closeReason, closedByUs);
    closed.complete(null);
  }

  private void onFrame(ServerFrame frame, long nanos) {
    switch (frame.getFrameCase()) {
      case RESPONSE -> {
        Response r = frame.getResponse();
        Pending p = pending.remove(r.getRequestId());
        if (p != null) p.reply().done(r, null, nanos);
        drainQueue();
      }
      case EVENT -> listener.onEvent(frame.getEvent(), nanos);
      default -> undecodable++;
    }
  }

  private final class ByteCounter extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof ByteBuf b) bytesIn += b.readableBytes();
      ctx.fireChannelRead(msg);
    }
  }

  private final class FrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private final CompletableFuture<WsConnection> opened;

    FrameHandler(CompletableFuture<WsConnection> opened) {
      this.opened = opened;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
        opened.complete(WsConnection.this);
      } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
        opened.completeExceptionally(new IllegalStateException("WebSocket handshake timed out"));
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      long nanos = System.nanoTime();
      framesIn++;
      if (frame instanceof CloseWebSocketFrame close) {
        closeCode = close.statusCode();
        closeReason = close.reasonText();
        if (!closing) {
          closing = true;
          ctx.writeAndFlush(new CloseWebSocketFrame(closeCode < 0 ? 1000 : closeCode, ""))
              .addListener(ChannelFutureListener.CLOSE);
        } else {
          ctx.close();
        }
        return;
      }
      try {
        ServerFrame decoded;
        if (frame instanceof BinaryWebSocketFrame) {
          decoded =
              ServerFrame.parseFrom(CodedInputStream.newInstance(frame.content().nioBuffer()));
        } else if (frame instanceof TextWebSocketFrame text) {
          decoded = Encoding.mergeJson(text.text(), ServerFrame.newBuilder()).build();
        } else {
          return; // pong (dropped earlier) or continuation (aggregated earlier)
        }
        onFrame(decoded, nanos);
      } catch (java.io.IOException e) {
        undecodable++;
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      opened.completeExceptionally(
          new IllegalStateException("connection closed during the handshake"));
      onInactive();
      super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      opened.completeExceptionally(cause);
      ctx.close();
    }
  }
}
