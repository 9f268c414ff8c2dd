package dev.parley.msg.grpc;

import dev.parley.msg.presence.PresenceAnnouncer;
import dev.parley.proto.internal.AnnouncePresenceRequest;
import dev.parley.proto.internal.AnnouncePresenceResponse;
import dev.parley.proto.internal.PresenceServiceGrpc;
import io.grpc.stub.StreamObserver;

/**
 * The gRPC edge of live presence (design.md 13.2), called by gateways only: the answer says the
 * change was taken, not that anyone was told.
 */
public final class PresenceGrpcService extends PresenceServiceGrpc.PresenceServiceImplBase {
  private final PresenceAnnouncer announcer;

  public PresenceGrpcService(PresenceAnnouncer announcer) {
    this.announcer = announcer;
  }

  @Override
  public void announce(AnnouncePresenceRequest r, StreamObserver<AnnouncePresenceResponse> out) {
    long user = Limits.id(r.getUserId(), "user_id");
    if (r.getOnline()) announcer.online(user);
    else announcer.offline(user);
    out.onNext(AnnouncePresenceResponse.getDefaultInstance());
    out.onCompleted();
  }
}
