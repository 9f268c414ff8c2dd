package dev.parley.gateway.routing;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.parley.common.grpc.CallContext;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.Response;
import io.grpc.Channel;
import io.grpc.stub.AbstractStub;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One WebSocket operation forwarded to a service: which stub method to call with which part of the
 * request, and which field of the response receives the answer.
 */
@FunctionalInterface
public interface Route {

  /**
   * Starts the call on behalf of {@code caller} with the given deadline. Never blocks. The future
   * yields a response whose result is set (the caller sets request_id), or fails with the gRPC
   * error.
   */
  ListenableFuture<Response.Builder> invoke(Request request, CallContext caller, Duration deadline);

  /** The routes of one service: its channel and how to make a future stub on it. */
  static <S extends AbstractStub<S>> Service<S> service(
      Channel channel, Function<Channel, S> newStub) {
    return new Service<>(channel, newStub);
  }

  record Service<S extends AbstractStub<S>>(Channel channel, Function<Channel, S> newStub) {
    /**
     * A unary call.
     *
     * @param call e.g. {@code (stub, r) -> stub.logout(r.getLogout())}
     * @param result e.g. {@code Response.Builder::setLogout}
     */
    public <R> Route unary(
        BiFunction<S, Request, ListenableFuture<R>> call, BiConsumer<Response.Builder, R> result) {
      return (request, caller, deadline) -> {
        S stub =
            newStub
                .apply(channel)
                .withInterceptors(caller.asClientInterceptor())
                .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
        return Futures.transform(
            call.apply(stub, request),
            answer -> {
              Response.Builder response = Response.newBuilder();
              result.accept(response, answer);
              return response;
            },
            MoreExecutors.directExecutor());
      };
    }
  }
}
