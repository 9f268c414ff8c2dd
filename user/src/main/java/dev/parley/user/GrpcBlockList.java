package dev.parley.user;

import dev.parley.common.grpc.CallContext;
import dev.parley.proto.internal.IsBlockedRequest;
import dev.parley.proto.internal.RelationServiceGrpc;
import io.grpc.Channel;
import java.util.concurrent.TimeUnit;

/** Asks the message service's RelationService.IsBlocked, forwarding the caller's identity. */
public final class GrpcBlockList implements BlockList {
  private final Channel msg;

  public GrpcBlockList(Channel msg) {
    this.msg = msg;
  }

  @Override
  public boolean hasBlocked(long blockerId, long userId) {
    return RelationServiceGrpc.newBlockingStub(msg)
        .withInterceptors(CallContext.current().asClientInterceptor())
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .isBlocked(IsBlockedRequest.newBuilder().setBlockerId(blockerId).setUserId(userId).build())
        .getBlocked();
  }
}
