package dev.parley.cli;

import dev.parley.client.Credentials;
import dev.parley.client.Encoding;
import dev.parley.proto.client.AckResponse;
import dev.parley.proto.client.AuthTokens;
import dev.parley.proto.client.AuthenticateResponse;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.Event;
import dev.parley.proto.client.PingResponse;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.Response;
import dev.parley.proto.client.ServerFrame;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The WebSocket half of a Parley gateway, canned: accepts {@code authenticate} with the access
 * token of {@link #credentials()}, answers each other operation with what a test set for it ({@link
 * #answer}), and records every request. Requests are recorded before the answer goes out, so a test
 * that ran a command can read them at once. Events set with {@link #afterAuthenticate} follow every
 * successful authenticate, so a {@code watch} sees them once it is READY.
 */
final class FakeGateway implements AutoCloseable {
  static final long USER_ID = 7318945120780288L;
  static final long SESSION_ID = 7318945121304576L;
  private static final String ACCESS_TOKEN = "access-fake";

  /** Answers one request; null leaves it unanswered. Runs on the event loop. */
  interface Handler {
    Response.Builder answer(Socket socket, Request request);
  }

  /** The server's side of one WebSocket. */
  static final class Socket {
    private final Channel channel;
    private final Encoding encoding;

    Socket(Channel channel, Encoding encoding) {
      this.channel = channel;
      this.encoding = encoding;
    }

    void send(ServerFrame frame) {
      channel.writeAndFlush(
          encoding.textFrames()
              ? new TextWebSocketFrame(Encoding.toJson(frame))
              : new BinaryWebSocketFrame(Unpooled.wrappedBuffer(frame.toByteArray())));
    }

    /**
     * Drops the TCP connection without a Close frame, as a network failure would. The drop waits
     * 100 ms so that the client has finished with the frame before: a connection that ends while
     * the JDK's WebSocket is still delivering a message loses its EOF to a JDK race (described on
     * the client's {@code Socket}), and the client then learns of the drop only from a timeout.
     * Seen once in 60 runs on a loaded machine; this test is about resending, not about that race.
     */
    void drop() {
      channel.eventLoop().schedule(() -> channel.close(), 100, TimeUnit.MILLISECONDS);
    }
  }

  private final Map<Request.OpCase, Handler> handlers = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<Event> afterAuthenticate = new CopyOnWriteArrayList<>();
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel serverChannel;

  FakeGateway() {
    try {
      serverChannel =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ch.pipeline()
                          .addLast(
                              new HttpServerCodec(),
                              new HttpObjectAggregator(1 << 20),
                              new WebSocketServerProtocolHandler(
                                  WebSocketServerProtocolConfig.newBuilder()
                                      .websocketPath("/ws")
                                      .subprotocols(
                                          Encoding.PROTOBUF.subprotocol()
                                              + ","
                                              + Encoding.JSON.subprotocol())
                                      .maxFramePayloadLength(1 << 20)
                                      .sendCloseFrame(null) // so that drop() is a drop
                                      .build()),
                              new WebSocketFrameAggregator(1 << 20),
                              new Frames());
                    }
                  })
              .bind("127.0.0.1", 0)
              .sync()
              .channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    answer(
        Request.OpCase.PING,
        request -> Response.newBuilder().setPing(PingResponse.getDefaultInstance()));
    answer(
        Request.OpCase.ACK,
        request -> Response.newBuilder().setAck(AckResponse.getDefaultInstance()));
  }

  String url() {
    return "http://127.0.0.1:" + ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /** Credentials this gateway accepts, valid for long. */
  static Credentials credentials() {
    long later = Instant.now().plusSeconds(86_400).toEpochMilli();
    return Credentials.of(
        AuthTokens.newBuilder()
            .setUserId(USER_ID)
            .setSessionId(SESSION_ID)
            .setDeviceId("cli-test")
            .setAccessToken(ACCESS_TOKEN)
            .setAccessTokenExpiresAtMs(later)
            .setRefreshToken("refresh-fake")
            .setRefreshTokenExpiresAtMs(later)
            .build());
  }

  /** Answers every request of kind {@code op} with {@code result} (request_id is filled in). */
  void answer(Request.OpCase op, Function<Request, Response.Builder> result) {
    handlers.put(op, (socket, request) -> result.apply(request));
  }

  /** Lets {@code handler} answer requests of kind {@code op}, or not. */
  void handle(Request.OpCase op, Handler handler) {
    handlers.put(op, handler);
  }

  /** Sends {@code event} on every socket right after it authenticates. */
  void afterAuthenticate(Event event) {
    afterAuthenticate.add(event);
  }

  /** The requests of kind {@code op} that arrived so far, in order. */
  List<Request> requests(Request.OpCase op) {
    List<Request> matching = new ArrayList<>();
    for (Request request : requests) {
      if (request.getOpCase() == op) {
        matching.add(request);
      }
    }
    return matching;
  }

  /** The kinds of every request so far, in order, without authenticate, ping and ack. */
  List<Request.OpCase> operations() {
    return requests.stream()
        .map(Request::getOpCase)
        .filter(
            op ->
                op != Request.OpCase.AUTHENTICATE
                    && op != Request.OpCase.PING
                    && op != Request.OpCase.ACK)
        .toList();
  }

  static Response.Builder error(int code, Reason reason, String message) {
    return Response.newBuilder()
        .setError(
            dev.parley.proto.client.Error.newBuilder()
                .setCode(code)
                .setReason(reason)
                .setMessage(message));
  }

  @Override
  public void close() {
    serverChannel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private Response.Builder authenticate(Request request) {
    if (!request.getAuthenticate().getAccessToken().equals(ACCESS_TOKEN)) {
      return error(401, Reason.UNAUTHENTICATED, "unknown access token");
    }
    return Response.newBuilder()
        .setAuthenticate(
            AuthenticateResponse.newBuilder()
                .setUserId(USER_ID)
                .setSessionId(SESSION_ID)
                .setServerTimeMs(System.currentTimeMillis())
                .setHeartbeatIntervalMs(30_000)
                .setIdleTimeoutMs(90_000));
  }

  /** One per channel: after the upgrade, WebSocket frames. Plain HTTP calls get a 404. */
  private final class Frames extends SimpleChannelInboundHandler<Object> {
    private Socket socket;

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
      if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
        socket =
            new Socket(
                ctx.channel(),
                Encoding.forSubprotocol(String.valueOf(handshake.selectedSubprotocol()))
                    .orElseThrow(() -> new AssertionError("no subprotocol selected")));
      }
      super.userEventTriggered(ctx, event);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (msg instanceof FullHttpRequest) {
        FullHttpResponse notFound =
            new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND);
        HttpUtil.setContentLength(notFound, 0);
        ctx.writeAndFlush(notFound);
      } else if (msg instanceof TextWebSocketFrame text) {
        received(Encoding.mergeJson(text.text(), Request.newBuilder()).build());
      } else if (msg instanceof BinaryWebSocketFrame binary) {
        received(Request.parseFrom(ByteBufUtil.getBytes(binary.content())));
      } else if (!(msg instanceof WebSocketFrame)) {
        throw new AssertionError("unexpected " + msg);
      }
    }

    private void received(Request request) {
      requests.add(request);
      Response.Builder answer;
      if (request.getOpCase() == Request.OpCase.AUTHENTICATE) {
        answer = authenticate(request);
      } else {
        Handler handler = handlers.get(request.getOpCase());
        answer =
            handler != null
                ? handler.answer(socket, request)
                : error(
                    400,
                    Reason.UNKNOWN_OPERATION,
                    "the fake has no answer for " + request.getOpCase());
      }
      if (answer == null) {
        return;
      }
      socket.send(
          ServerFrame.newBuilder()
              .setResponse(answer.setRequestId(request.getRequestId()))
              .build());
      if (request.getOpCase() == Request.OpCase.AUTHENTICATE && !answer.hasError()) {
        afterAuthenticate.forEach(
            event -> socket.send(ServerFrame.newBuilder().setEvent(event).build()));
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close(); // an undecodable frame, say: the command under test then fails
    }
  }
}
