package dev.parley.common.grpc;

import dev.parley.common.trace.TraceParent;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.OptionalLong;

/**
 * Who is calling, as established by the gateway. The gateway attaches it to every internal gRPC
 * call as metadata ({@code parley-user-id}, {@code parley-session-id}, {@code parley-client-ip});
 * services read it back with {@link #current()}. Services trust it because only gateways can reach
 * them. The current trace ({@link TraceContext}) travels with it.
 *
 * @param userId 0 when the caller is not authenticated (auth bootstrap calls)
 * @param sessionId 0 when the caller is not authenticated
 * @param clientIp the client's address as the gateway saw it; empty when unknown
 */
public record CallContext(long userId, long sessionId, String clientIp) {
  public static final CallContext ANONYMOUS = new CallContext(0, 0, "");

  static final Metadata.Key<String> USER_ID =
      Metadata.Key.of("parley-user-id", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> SESSION_ID =
      Metadata.Key.of("parley-session-id", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> CLIENT_IP =
      Metadata.Key.of("parley-client-ip", Metadata.ASCII_STRING_MARSHALLER);

  private static final Context.Key<CallContext> KEY = Context.key("parley-call-context");

  public static CallContext anonymous(String clientIp) {
    return new CallContext(0, 0, clientIp == null ? "" : clientIp);
  }

  public boolean authenticated() {
    return userId != 0;
  }

  /** The context of the gRPC call being served; ANONYMOUS outside a call. */
  public static CallContext current() {
    CallContext c = KEY.get();
    return c == null ? ANONYMOUS : c;
  }

  /** Caller side: an interceptor that sends this context with every call made through it. */
  public ClientInterceptor asClientInterceptor() {
    CallContext self = this;
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(
          MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
          @Override
          public void start(Listener<R> listener, Metadata headers) {
            self.writeTo(headers);
            super.start(listener, headers);
          }
        };
      }
    };
  }

  void writeTo(Metadata headers) {
    TraceContext.writeCurrent(headers);
    if (userId != 0) headers.put(USER_ID, Long.toString(userId));
    if (sessionId != 0) headers.put(SESSION_ID, Long.toString(sessionId));
    if (!clientIp.isEmpty()) headers.put(CLIENT_IP, clientIp);
  }

  static CallContext readFrom(Metadata headers) {
    return new CallContext(
        parse(headers.get(USER_ID)).orElse(0),
        parse(headers.get(SESSION_ID)).orElse(0),
        headers.get(CLIENT_IP) == null ? "" : headers.get(CLIENT_IP));
  }

  private static OptionalLong parse(String s) {
    if (s == null) return OptionalLong.empty();
    try {
      return OptionalLong.of(Long.parseLong(s));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * Service side: makes the caller's context available through {@link #current()}, and the trace
   * through {@link TraceContext#current()} (a new trace when the caller sent none), and runs the
   * call's callbacks with both in the logging MDC ({@link LogContext}).
   */
  public static ServerInterceptor serverInterceptor() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        CallContext caller = readFrom(headers);
        String traceparent = headers.get(TraceContext.TRACEPARENT);
        String traceId = TraceContext.parse(traceparent);
        if (traceId == null) traceId = TraceContext.newTraceId();
        Context ctx =
            TraceContext.with(traceId, TraceParent.parse(traceparent)).withValue(KEY, caller);
        ServerCall.Listener<Q> listener;
        try (LogContext ignored = LogContext.open(traceId, caller.userId(), caller.sessionId())) {
          listener = Contexts.interceptCall(ctx, call, headers, next);
        }
        return LogContext.around(listener, traceId, caller);
      }
    };
  }
}
