package dev.parley.common.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.parley.common.error.ParleyException;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.GetStateRequest;
import dev.parley.proto.client.GetStateResponse;
import dev.parley.proto.internal.MessageServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a caller makes of a failed call: the service's answer when it gave one (bugs included), and
 * UNAVAILABLE (retryable) when the call broke on the way, whatever code gRPC reported the break
 * with.
 */
class GrpcErrorsTest {
  private Server server;
  private ManagedChannel channel;

  @AfterEach
  void stop() {
    if (channel != null) channel.shutdownNow();
    if (server != null) server.shutdownNow();
  }

  @Test
  void aParleyExceptionReachesTheCallerAsItsError() throws Exception {
    serve(
        out -> {
          throw new ParleyException(Reason.NOT_FOUND, "No such conversation");
        });
    assertThat(callError().getReason()).isEqualTo(Reason.NOT_FOUND);
  }

  @Test
  void aBugInTheServiceStaysInternal() throws Exception {
    serve(
        out -> {
          throw new IllegalStateException("a bug");
        });
    assertThat(callError().getReason()).isEqualTo(Reason.INTERNAL);
  }

  @Test
  void aBareInternalStatusTheServiceClosesWithIsItsAnswer_stillInternal() throws Exception {
    serve(
        out ->
            out.onError(
                Status.INTERNAL.withDescription("chosen by the service").asRuntimeException()));
    assertThat(callError().getReason()).isEqualTo(Reason.INTERNAL);
  }

  @Test
  void aNestedCallThatBrokeOnTheWayReachesTheCallerAsUnavailable() throws Exception {
    // msg calling user, and that call broke: the service rethrows the bare status it got.
    serve(
        out -> {
          throw Status.INTERNAL
              .withDescription("RST_STREAM closed stream. HTTP/2 error code: INTERNAL_ERROR")
              .asRuntimeException();
        });
    assertThat(callError().getReason()).isEqualTo(Reason.UNAVAILABLE);
  }

  @Test
  void aServerThatGoesAwayMidCallIsUnavailable() throws Exception {
    CountDownLatch inCall = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    serve(
        out -> {
          inCall.countDown();
          try {
            never.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    var answer = stub().getState(GetStateRequest.getDefaultInstance());
    assertThat(inCall.await(10, TimeUnit.SECONDS)).isTrue();
    server.shutdownNow();
    Throwable t = catchThrowable(() -> answer.get(10, TimeUnit.SECONDS));
    assertThat(GrpcErrors.toError(t).getReason()).isEqualTo(Reason.UNAVAILABLE);
    never.countDown();
  }

  /**
   * How grpc-netty reports a peer killed mid-call, depending on where the break caught the call.
   */
  @Test
  void transportBreaksAreUnavailableWhateverTheirCode() {
    for (Status s :
        new Status[] {
          Status.UNAVAILABLE.withDescription("io exception"),
          Status.INTERNAL.withDescription(
              "RST_STREAM closed stream. HTTP/2 error code: INTERNAL_ERROR"),
          Status.INTERNAL.withDescription("Encountered end-of-stream mid-frame"),
          Status.UNKNOWN.withDescription("channel closed"),
          Status.CANCELLED.withDescription("RST_STREAM closed stream. HTTP/2 error code: CANCEL"),
          Status.DEADLINE_EXCEEDED
        }) {
      assertThat(GrpcErrors.toError(s.asRuntimeException()).getReason())
          .as(s.toString())
          .isEqualTo(Reason.UNAVAILABLE);
    }
  }

  @Test
  void anUnknownMethodIsAnUnknownOperation_andAFailureOutsideGrpcIsInternal() {
    assertThat(GrpcErrors.toError(Status.UNIMPLEMENTED.asRuntimeException()).getReason())
        .isEqualTo(Reason.UNKNOWN_OPERATION);
    assertThat(GrpcErrors.toError(new IllegalStateException("a bug in the caller")).getReason())
        .isEqualTo(Reason.INTERNAL);
  }

  @Test
  void aServiceThisProcessCannotServeAnswersUnavailableWithTheReason_notUnknownOperation()
      throws Exception {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(
                ServerInterceptors.intercept(
                    new UnservedService(
                        MessageServiceGrpc.getServiceDescriptor(), "not configured here"),
                    GrpcErrors.serverInterceptor()))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
    dev.parley.proto.client.Error error = callError();
    assertThat(error.getReason()).isEqualTo(Reason.UNAVAILABLE);
    assertThat(error.getMessage()).isEqualTo("not configured here");
  }

  private void serve(Consumer<StreamObserver<GetStateResponse>> getState) throws Exception {
    String name = InProcessServerBuilder.generateName();
    MessageServiceGrpc.MessageServiceImplBase service =
        new MessageServiceGrpc.MessageServiceImplBase() {
          @Override
          public void getState(GetStateRequest request, StreamObserver<GetStateResponse> out) {
            getState.accept(out);
          }
        };
    server =
        InProcessServerBuilder.forName(name)
            .addService(ServerInterceptors.intercept(service, GrpcErrors.serverInterceptor()))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  private MessageServiceGrpc.MessageServiceFutureStub stub() {
    return MessageServiceGrpc.newFutureStub(channel);
  }

  private dev.parley.proto.client.Error callError() {
    Throwable t =
        catchThrowable(
            () -> stub().getState(GetStateRequest.getDefaultInstance()).get(10, TimeUnit.SECONDS));
    assertThat(t).isNotNull();
    return GrpcErrors.toError(t);
  }
}
