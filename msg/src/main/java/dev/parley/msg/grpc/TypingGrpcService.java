package dev.parley.msg.grpc;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.typing.TypingRelay;
import dev.parley.proto.client.SetTypingRequest;
import dev.parley.proto.client.SetTypingResponse;
import dev.parley.proto.client.TypingState;
import dev.parley.proto.internal.TypingServiceGrpc;
import io.grpc.stub.StreamObserver;

/** The gRPC edge of typing indicators (design.md 13.6): validation only. */
public final class TypingGrpcService extends TypingServiceGrpc.TypingServiceImplBase {
  private final TypingRelay relay;

  public TypingGrpcService(TypingRelay relay) {
    this.relay = relay;
  }

  @Override
  public void setTyping(SetTypingRequest r, StreamObserver<SetTypingResponse> out) {
    TypingState.Action action = r.getAction();
    if (action == TypingState.Action.ACTION_UNSPECIFIED
        || action == TypingState.Action.UNRECOGNIZED) {
      throw ParleyException.invalid(
          "action", "action must be TYPING, UPLOADING_PHOTO, UPLOADING_FILE or CANCEL");
    }
    relay.set(Callers.current(), Limits.id(r.getConversationId(), "conversation_id"), action);
    out.onNext(SetTypingResponse.getDefaultInstance());
    out.onCompleted();
  }
}
