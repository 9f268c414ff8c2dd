package dev.parley.msg.grpc;

import dev.parley.msg.core.PinManager;
import dev.parley.proto.client.GetPinnedMessagesRequest;
import dev.parley.proto.client.GetPinnedMessagesResponse;
import dev.parley.proto.client.PinMessageRequest;
import dev.parley.proto.client.PinMessageResponse;
import dev.parley.proto.client.UnpinMessageRequest;
import dev.parley.proto.client.UnpinMessageResponse;
import dev.parley.proto.internal.PinServiceGrpc;
import io.grpc.stub.StreamObserver;

/** The gRPC edge of pinned messages (design.md 13.5): validation and proto conversion only. */
public final class PinGrpcService extends PinServiceGrpc.PinServiceImplBase {
  private final PinManager pins;

  public PinGrpcService(PinManager pins) {
    this.pins = pins;
  }

  @Override
  public void pinMessage(PinMessageRequest r, StreamObserver<PinMessageResponse> out) {
    long seq = change(r.getConversationId(), r.getSeq(), true);
    out.onNext(PinMessageResponse.newBuilder().setSeq(seq).build());
    out.onCompleted();
  }

  @Override
  public void unpinMessage(UnpinMessageRequest r, StreamObserver<UnpinMessageResponse> out) {
    long seq = change(r.getConversationId(), r.getSeq(), false);
    out.onNext(UnpinMessageResponse.newBuilder().setSeq(seq).build());
    out.onCompleted();
  }

  private long change(long conversationId, long seq, boolean pinned) {
    return pins.pin(
        Callers.current(),
        Limits.id(conversationId, "conversation_id"),
        Limits.seq(seq, "seq"),
        pinned);
  }

  @Override
  public void getPinnedMessages(
      GetPinnedMessagesRequest r, StreamObserver<GetPinnedMessagesResponse> out) {
    PinManager.Page page =
        pins.pinned(
            Callers.current(),
            Limits.id(r.getConversationId(), "conversation_id"),
            Limits.notNegative(r.getBeforePinSeq(), "before_pin_seq"),
            Limits.page(r.getLimit(), 50, 100, "limit"));
    GetPinnedMessagesResponse.Builder b = GetPinnedMessagesResponse.newBuilder();
    for (PinManager.Pinned p : page.pinned())
      b.addPinned(
          GetPinnedMessagesResponse.Pinned.newBuilder()
              .setMessage(Protos.message(p.message()))
              .setPinnedBy(p.pin().pinnedBy())
              .setPinnedAtMs(Protos.ms(p.pin().pinnedAt()))
              .setPinSeq(p.pin().pinSeq()));
    out.onNext(b.setMore(page.more()).build());
    out.onCompleted();
  }
}
