package dev.parley.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.parley.proto.client.Account;
import dev.parley.proto.client.AuthTokens;
import dev.parley.proto.client.AuthenticateResponse;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.GetAccountResponse;
import dev.parley.proto.client.GetProfilesResponse;
import dev.parley.proto.client.LoginRequest;
import dev.parley.proto.client.LogoutResponse;
import dev.parley.proto.client.PingResponse;
import dev.parley.proto.client.Profile;
import dev.parley.proto.client.RefreshRequest;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.RequestCodeResponse;
import dev.parley.proto.client.Response;
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
import io.netty.handler.codec.http.HttpHeaderNames;
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
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A stand-in for the gateway, on one port like the real one: the auth endpoints over HTTP and the
 * WebSocket at {@code /ws} with both subprotocols. Tokens are random strings it remembers; refresh
 * tokens are single use, as on the real server. Tests change its behaviour through {@link #handler}
 * (answers to WebSocket requests; {@code null} means no answer) and {@link #httpOverride}.
 * Messaging operations are answered by {@link #messaging}.
 */
final class FakeServer implements AutoCloseable {
  static final long USER_ID = 7;
  static final long SESSION_ID = 9;
  static final String PASSWORD = "secret-password";

  /** Answers a request on a socket; returns null to leave it unanswered. Runs on the event loop. */
  interface RequestHandler {
    Response handle(FakeSocket socket, Request request);
  }

  record HttpCall(String path, String contentType, byte[] body) {}

  final Set<String> validAccessTokens = ConcurrentHashMap.newKeySet();
  final Map<String, Boolean> refreshTokenSpent = new ConcurrentHashMap<>();
  final AtomicInteger refreshCalls = new AtomicInteger();
  final AtomicInteger authenticateCalls = new AtomicInteger();
  final BlockingQueue<HttpCall> httpCalls = new LinkedBlockingQueue<>();
  final List<FakeSocket> sockets = new CopyOnWriteArrayList<>();

  /** Conversations, logs and update feeds; answers the messaging operations. */
  final FakeMessaging messaging = new FakeMessaging(this);

  private final Map<Request.OpCase, AtomicInteger> requestCounts = new ConcurrentHashMap<>();
  private final BlockingQueue<FakeSocket> newSockets = new LinkedBlockingQueue<>();

  volatile RequestHandler handler = FakeServer::answer;

  /** Answers an HTTP path instead of the built-in endpoints when it returns non-null. */
  volatile Function<String, FullHttpResponse> httpOverride = path -> null;

  /** False: refresh keeps working but the tokens it issues are not accepted by authenticate. */
  volatile boolean acceptRefreshedTokens = true;

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel serverChannel;

  FakeServer() throws InterruptedException {
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
                                    .sendCloseFrame(
                                        null) // else channel.close() sends "1000 Bye" first and
                                    // drop() is not a drop
                                    .build()),
                            new WebSocketFrameAggregator(1 << 20),
                            new Handler());
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
  }

  URI baseUri() {
    return URI.create(
        "http://127.0.0.1:" + ((InetSocketAddress) serverChannel.localAddress()).getPort());
  }

  /** Fresh credentials the server accepts. */
  Credentials issue() {
    return Credentials.of(issueTokens(true));
  }

  /** Makes every access token issued so far invalid, as if they had expired. */
  void expireAccessTokens() {
    validAccessTokens.clear();
  }

  /** How many requests of this kind arrived so far, on all sockets. */
  int requestCount(Request.OpCase op) {
    AtomicInteger count = requestCounts.get(op);
    return count == null ? 0 : count.get();
  }

  /** The next WebSocket the server accepted (waits up to 5 s). */
  FakeSocket nextSocket() throws InterruptedException {
    FakeSocket socket = newSockets.poll(5, TimeUnit.SECONDS);
    if (socket == null) {
      throw new AssertionError("no WebSocket connection within 5 s");
    }
    return socket;
  }

  @Override
  public void close() {
    if (group.isShuttingDown()) return; // closed already (a test killed this "gateway")
    serverChannel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  static dev.parley.proto.client.Error error(int code, Reason reason, String message) {
    return dev.parley.proto.client.Error.newBuilder()
        .setCode(code)
        .setReason(reason)
        .setMessage(message)
        .build();
  }

  /** The built-in answers, close to the real server's. */
  static Response answer(FakeSocket socket, Request request) {
    Response.Builder response = Response.newBuilder().setRequestId(request.getRequestId());
    FakeServer server = socket.server;
    switch (request.getOpCase()) {
      case AUTHENTICATE -> {
        server.authenticateCalls.incrementAndGet();
        if (server.validAccessTokens.contains(request.getAuthenticate().getAccessToken())) {
          socket.authenticated = true;
          response.setAuthenticate(
              AuthenticateResponse.newBuilder()
                  .setUserId(USER_ID)
                  .setSessionId(SESSION_ID)
                  .setServerTimeMs(System.currentTimeMillis())
                  .setHeartbeatIntervalMs(30_000)
                  .setIdleTimeoutMs(90_000));
        } else {
          response.setError(error(401, Reason.UNAUTHENTICATED, "access token expired"));
        }
      }
      case PING ->
          response.setPing(PingResponse.newBuilder().setServerTimeMs(System.currentTimeMillis()));
      case GET_ACCOUNT ->
          response.setGetAccount(
              GetAccountResponse.newBuilder()
                  .setAccount(
                      Account.newBuilder()
                          .setProfile(profile(USER_ID))
                          .setEmail("ada@example.org")
                          .setHasPassword(true)));
      case GET_PROFILES -> {
        GetProfilesResponse.Builder profiles = GetProfilesResponse.newBuilder();
        request.getGetProfiles().getUserIdsList().forEach(id -> profiles.addProfiles(profile(id)));
        response.setGetProfiles(profiles);
      }
      case LOGOUT -> {
        socket.respond(response.setLogout(LogoutResponse.getDefaultInstance()).build());
        socket.close(CloseStatus.NORMAL, "logout");
        return null;
      }
      default -> {
        Response messaging = server.messaging.handle(request);
        if (messaging != null) {
          return messaging;
        }
        response.setError(
            error(400, Reason.UNKNOWN_OPERATION, "unknown op " + request.getOpCase()));
      }
    }
    return response.build();
  }

  static Profile profile(long userId) {
    return Profile.newBuilder().setUserId(userId).setDisplayName("user " + userId).build();
  }

  private AuthTokens issueTokens(boolean accepted) {
    String access = "at-" + UUID.randomUUID();
    String refresh = "rt-" + UUID.randomUUID();
    if (accepted) {
      validAccessTokens.add(access);
    }
    refreshTokenSpent.put(refresh, false);
    long now = System.currentTimeMillis();
    return AuthTokens.newBuilder()
        .setUserId(USER_ID)
        .setSessionId(SESSION_ID)
        .setDeviceId("device-1")
        .setAccessToken(access)
        .setAccessTokenExpiresAtMs(now + 3_600_000)
        .setRefreshToken(refresh)
        .setRefreshTokenExpiresAtMs(Instant.now().plusSeconds(86_400).toEpochMilli())
        .build();
  }

  private FullHttpResponse http(String path, Encoding encoding, byte[] body)
      throws InvalidProtocolBufferException {
    FullHttpResponse override = httpOverride.apply(path);
    if (override != null) {
      return override;
    }
    return switch (path) {
      case "/api/v1/auth/code" ->
          reply(
              200,
              encoding,
              RequestCodeResponse.newBuilder()
                  .setCodeLength(6)
                  .setExpiresInSeconds(300)
                  .setResendAfterSeconds(60)
                  .build());
      case "/api/v1/auth/register" -> reply(200, encoding, issueTokens(true));
      case "/api/v1/auth/login" -> {
        LoginRequest login = encoding.merge(body, LoginRequest.newBuilder()).build();
        yield PASSWORD.equals(login.getPassword())
            ? reply(200, encoding, issueTokens(true))
            : reply(401, encoding, error(401, Reason.INVALID_CREDENTIALS, "wrong password"));
      }
      case "/api/v1/auth/refresh" -> {
        refreshCalls.incrementAndGet();
        String token = encoding.merge(body, RefreshRequest.newBuilder()).build().getRefreshToken();
        Boolean spent = refreshTokenSpent.replace(token, true);
        if (spent == null) {
          yield reply(
              401, encoding, error(401, Reason.INVALID_REFRESH_TOKEN, "unknown refresh token"));
        }
        if (spent) {
          yield reply(401, encoding, error(401, Reason.REFRESH_TOKEN_REUSED, "session revoked"));
        }
        yield reply(200, encoding, issueTokens(acceptRefreshedTokens));
      }
      default -> reply(404, encoding, error(404, Reason.NOT_FOUND, path));
    };
  }

  static FullHttpResponse reply(int status, Encoding encoding, Message body) {
    return reply(status, encoding.contentType(), encoding.toBytes(body));
  }

  static FullHttpResponse reply(int status, String contentType, byte[] body) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    HttpUtil.setContentLength(response, body.length);
    return response;
  }

  /** One per channel: HTTP calls, then (after an upgrade) WebSocket frames. */
  private final class Handler extends SimpleChannelInboundHandler<Object> {
    private FakeSocket socket;

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
      if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
        Encoding encoding =
            Encoding.forSubprotocol(String.valueOf(handshake.selectedSubprotocol()))
                .orElseThrow(() -> new AssertionError("no subprotocol selected"));
        socket = new FakeSocket(FakeServer.this, ctx.channel(), encoding);
        sockets.add(socket);
        newSockets.add(socket);
      }
      super.userEventTriggered(ctx, event);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (msg instanceof FullHttpRequest request) {
        String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        byte[] body = ByteBufUtil.getBytes(request.content());
        httpCalls.add(new HttpCall(request.uri(), contentType, body));
        Encoding encoding = Encoding.forContentType(contentType).orElse(Encoding.PROTOBUF);
        FullHttpResponse response = http(request.uri(), encoding, body);
        HttpUtil.setKeepAlive(response, HttpUtil.isKeepAlive(request));
        ctx.writeAndFlush(response);
      } else if (msg instanceof TextWebSocketFrame text) {
        received(text.text(), () -> Encoding.mergeJson(text.text(), Request.newBuilder()).build());
      } else if (msg instanceof BinaryWebSocketFrame binary) {
        byte[] bytes = ByteBufUtil.getBytes(binary.content());
        received(bytes, () -> Request.parseFrom(bytes));
      } else if (!(msg instanceof WebSocketFrame)) {
        throw new AssertionError("unexpected " + msg);
      }
    }

    private void received(Object raw, Decoder decoder) {
      socket.rawFrames.add(raw);
      Request request;
      try {
        request = decoder.decode();
      } catch (InvalidProtocolBufferException e) {
        socket.respond(
            Response.newBuilder()
                .setError(error(400, Reason.BAD_REQUEST, "undecodable frame"))
                .build());
        return;
      }
      socket.requests.add(request);
      requestCounts
          .computeIfAbsent(request.getOpCase(), op -> new AtomicInteger())
          .incrementAndGet();
      Response response = handler.handle(socket, request);
      if (response != null) {
        socket.respond(response);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  private interface Decoder {
    Request decode() throws InvalidProtocolBufferException;
  }
}
