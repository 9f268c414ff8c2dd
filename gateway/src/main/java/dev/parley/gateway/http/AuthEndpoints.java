package dev.parley.gateway.http;

import static com.google.common.util.concurrent.Futures.immediateFuture;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.SettableFuture;
import com.google.protobuf.Message;
import dev.parley.common.error.ErrorCodes;
import dev.parley.common.grpc.CallContext;
import dev.parley.common.grpc.GrpcErrors;
import dev.parley.gateway.codec.Encoding;
import dev.parley.gateway.codec.MalformedInputException;
import dev.parley.gateway.metrics.GatewayMetrics;
import dev.parley.gateway.routing.InFlightRequests;
import dev.parley.proto.client.Error;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.LoginRequest;
import dev.parley.proto.client.RefreshRequest;
import dev.parley.proto.client.RegisterRequest;
import dev.parley.proto.client.RequestCodeRequest;
import dev.parley.proto.internal.UserServiceGrpc;
import dev.parley.proto.internal.UserServiceGrpc.UserServiceFutureStub;
import io.grpc.Channel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/auth/{code,register,login,refresh}}: the account bootstrap calls, forwarded
 * to the user service as the anonymous caller at the client's address. The body is a
 * parley.client.v1 message in the encoding named by Content-Type; the answer uses the same
 * encoding. Calls are async with the request timeout as deadline.
 */
public final class AuthEndpoints {
  private static final Logger log = LoggerFactory.getLogger(AuthEndpoints.class);

  private final Channel user;
  private final Duration deadline;
  private final InFlightRequests inFlight;
  private final GatewayMetrics metrics;

  public AuthEndpoints(
      Channel user, Duration deadline, InFlightRequests inFlight, GatewayMetrics metrics) {
    this.user = user;
    this.deadline = deadline;
    this.inFlight = inFlight;
    this.metrics = metrics;
  }

  public Map<String, HttpRoute> routes() {
    return Map.of(
        "/api/v1/auth/code",
        post(
            "request_code",
            RequestCodeRequest.getDefaultInstance(),
            UserServiceFutureStub::requestCode),
        "/api/v1/auth/register",
        post("register", RegisterRequest.getDefaultInstance(), UserServiceFutureStub::register),
        "/api/v1/auth/login",
        post("login", LoginRequest.getDefaultInstance(), UserServiceFutureStub::login),
        "/api/v1/auth/refresh",
        post("refresh", RefreshRequest.getDefaultInstance(), UserServiceFutureStub::refresh));
  }

  private <Q extends Message, R extends Message> HttpRoute post(
      String op, Q prototype, BiFunction<UserServiceFutureStub, Q, ListenableFuture<R>> call) {
    return new HttpRoute(HttpMethod.POST, (req, ip) -> handle(op, prototype, call, req, ip));
  }

  private <Q extends Message, R extends Message> ListenableFuture<HttpReply> handle(
      String op,
      Q prototype,
      BiFunction<UserServiceFutureStub, Q, ListenableFuture<R>> call,
      FullHttpRequest req,
      String clientIp) {
    long start = System.nanoTime();
    Encoding encoding = Encoding.ofContentType(HttpUtil.getMimeType(req));
    if (encoding == null) {
      Error e =
          ErrorCodes.error(
              Reason.BAD_REQUEST,
              "Content-Type must be application/json or application/x-protobuf");
      return rejected(
          op,
          start,
          HttpReply.error(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, e, Encoding.JSON),
          e);
    }
    Q body;
    try {
      @SuppressWarnings("unchecked")
      Q parsed = (Q) encoding.decode(req.content(), prototype.newBuilderForType()).build();
      body = parsed;
    } catch (MalformedInputException ex) {
      log.debug("Bad {} body from {}: {}", op, clientIp, ex.getMessage());
      Error e =
          ErrorCodes.error(
              Reason.BAD_REQUEST, Objects.requireNonNullElse(ex.getMessage(), "bad request body"));
      return rejected(op, start, HttpReply.error(e, encoding), e);
    }

    UserServiceFutureStub stub =
        UserServiceGrpc.newFutureStub(user)
            .withInterceptors(CallContext.anonymous(clientIp).asClientInterceptor())
            .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
    SettableFuture<HttpReply> reply = SettableFuture.create();
    inFlight.begin();
    ListenableFuture<R> answer;
    try {
      answer = call.apply(stub, body);
    } catch (RuntimeException ex) {
      answer = Futures.immediateFailedFuture(ex);
    }
    Futures.addCallback(
        answer,
        new FutureCallback<R>() {
          @Override
          @SuppressWarnings(
              "NullAway") // Guava declares V nullable; this future never completes with null
          public void onSuccess(R result) {
            inFlight.end();
            metrics.request(op, "ok", Duration.ofNanos(System.nanoTime() - start));
            reply.set(HttpReply.message(result, encoding));
          }

          @Override
          public void onFailure(Throwable t) {
            inFlight.end();
            Error e = GrpcErrors.toError(t);
            metrics.request(op, e.getReason().name(), Duration.ofNanos(System.nanoTime() - start));
            reply.set(HttpReply.error(e, encoding));
          }
        },
        MoreExecutors.directExecutor());
    return reply;
  }

  private ListenableFuture<HttpReply> rejected(String op, long start, HttpReply reply, Error e) {
    metrics.request(op, e.getReason().name(), Duration.ofNanos(System.nanoTime() - start));
    return immediateFuture(reply);
  }
}
