package dev.parley.user;

import dev.parley.common.grpc.CallContext;
import dev.parley.proto.internal.FileServiceGrpc;
import dev.parley.proto.internal.FileServiceGrpc.FileServiceBlockingStub;
import dev.parley.proto.internal.ReleaseAvatarsRequest;
import dev.parley.proto.internal.TakeAvatarRequest;
import io.grpc.Channel;
import java.util.concurrent.TimeUnit;

/** Asks the file service (hosted by the msg role) to take and release avatar references. */
public final class GrpcAvatarRefs implements AvatarRefs {
  private final Channel msg;

  public GrpcAvatarRefs(Channel msg) {
    this.msg = msg;
  }

  @Override
  public long take(long userId, String fileId) {
    return stub()
        .takeAvatar(TakeAvatarRequest.newBuilder().setUserId(userId).setFileId(fileId).build())
        .getGeneration();
  }

  @Override
  public void releaseBefore(long userId, long generation) {
    var unused =
        stub()
            .releaseAvatars(
                ReleaseAvatarsRequest.newBuilder()
                    .setUserId(userId)
                    .setBelowGeneration(generation)
                    .build());
  }

  private FileServiceBlockingStub stub() {
    return FileServiceGrpc.newBlockingStub(msg)
        .withInterceptors(CallContext.current().asClientInterceptor())
        .withDeadlineAfter(5, TimeUnit.SECONDS);
  }
}
