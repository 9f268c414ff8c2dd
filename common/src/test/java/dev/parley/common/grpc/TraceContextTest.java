package dev.parley.common.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.proto.client.GetStateRequest;
import dev.parley.proto.client.GetStateResponse;
import dev.parley.proto.internal.MessageServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * One trace id per client request, from the gateway through every service it reaches, in the gRPC
 * context and in the logging MDC with the caller's user and session ids.
 */
class TraceContextTest {
  private final List<Server> servers = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final Map<String, Map<String, String>> seen = new ConcurrentHashMap<>();

  @AfterEach
  void stop() {
    channels.forEach(ManagedChannel::shutdownNow);
    servers.forEach(Server::shutdownNow);
    MDC.clear();
  }

  @Test
  void theGatewaysTraceAndTheCallerReachTheServiceAndItsLogContext() throws Exception {
    ManagedChannel msg = serve("msg", null);
    String traceId = TraceContext.newTraceId();

    TraceContext.in(traceId, () -> call(msg, new CallContext(7, 8, "192.0.2.1")));

    assertThat(seen.get("msg"))
        .containsEntry("context", traceId)
        .containsEntry(LogContext.TRACE_ID, traceId)
        .containsEntry(LogContext.USER_ID, "7")
        .containsEntry(LogContext.SESSION_ID, "8");
  }

  @Test
  void aServiceCallingAnotherPassesTheSameTraceOn() throws Exception {
    ManagedChannel user = serve("user", null);
    ManagedChannel msg = serve("msg", user);
    String traceId = TraceContext.newTraceId();

    TraceContext.in(traceId, () -> call(msg, new CallContext(7, 8, "")));

    assertThat(seen.get("user"))
        .containsEntry("context", traceId)
        .containsEntry(LogContext.TRACE_ID, traceId)
        .containsEntry(LogContext.USER_ID, "7");
  }

  @Test
  void aCallWithoutATraceGetsItsOwn_andAnonymousCallersLogNoIds() throws Exception {
    ManagedChannel msg = serve("msg", null);

    call(msg, CallContext.ANONYMOUS);

    assertThat(seen.get("msg").get("context")).matches("[0-9a-f]{32}");
    assertThat(seen.get("msg").get(LogContext.TRACE_ID)).isEqualTo(seen.get("msg").get("context"));
    assertThat(seen.get("msg")).doesNotContainKeys(LogContext.USER_ID, LogContext.SESSION_ID);
  }

  @Test
  void traceparentIsTheW3cFormat_andAMalformedOneIsIgnored() {
    String traceId = TraceContext.newTraceId();
    String header = TraceContext.traceparent(traceId);

    // Not sampled: no span stands behind this parent id (the gateway traces nothing).
    assertThat(header).matches("00-" + traceId + "-[0-9a-f]{16}-00");
    assertThat(TraceContext.parse(header)).isEqualTo(traceId);
    assertThat(TraceContext.parse("00-" + "0".repeat(32) + "-00f067aa0ba902b7-01")).isNull();
    assertThat(TraceContext.parse("00-abc-00f067aa0ba902b7-01")).isNull();
    assertThat(TraceContext.parse("not a trace")).isNull();
    assertThat(TraceContext.parse(null)).isNull();
  }

  @Test
  void aLogContextRestoresWhatWasThere() {
    try (LogContext outer = LogContext.open("a".repeat(32), 1, 2)) {
      try (LogContext inner = LogContext.open("b".repeat(32), 3, 0)) {
        assertThat(MDC.get(LogContext.TRACE_ID)).isEqualTo("b".repeat(32));
        assertThat(MDC.get(LogContext.USER_ID)).isEqualTo("3");
        assertThat(MDC.get(LogContext.SESSION_ID)).isEqualTo("2");
      }
      assertThat(MDC.get(LogContext.TRACE_ID)).isEqualTo("a".repeat(32));
      assertThat(MDC.get(LogContext.USER_ID)).isEqualTo("1");
    }
    assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
  }

  /** A service that records what it sees, and calls {@code next} with the caller's context. */
  private ManagedChannel serve(String name, ManagedChannel next) throws Exception {
    String address = InProcessServerBuilder.generateName();
    MessageServiceGrpc.MessageServiceImplBase service =
        new MessageServiceGrpc.MessageServiceImplBase() {
          @Override
          public void getState(GetStateRequest request, StreamObserver<GetStateResponse> out) {
            Map<String, String> view = new ConcurrentHashMap<>();
            Map<String, String> mdc = MDC.getCopyOfContextMap();
            if (mdc != null) view.putAll(mdc);
            String trace = TraceContext.current();
            if (trace != null) view.put("context", trace);
            seen.put(name, view);
            if (next != null) call(next, CallContext.current());
            out.onNext(GetStateResponse.getDefaultInstance());
            out.onCompleted();
          }
        };
    servers.add(
        InProcessServerBuilder.forName(address)
            .executor(java.util.concurrent.Executors.newCachedThreadPool())
            .addService(
                ServerInterceptors.intercept(
                    service, GrpcErrors.serverInterceptor(), CallContext.serverInterceptor()))
            .build()
            .start());
    ManagedChannel channel = InProcessChannelBuilder.forName(address).build();
    channels.add(channel);
    return channel;
  }

  private static GetStateResponse call(ManagedChannel channel, CallContext caller) {
    try {
      return MessageServiceGrpc.newFutureStub(channel)
          .withInterceptors(caller.asClientInterceptor())
          .getState(GetStateRequest.getDefaultInstance())
          .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
