package dev.parley.msg.grpc;

import dev.parley.common.grpc.CallContext;
import dev.parley.msg.core.UserDirectory;
import dev.parley.proto.client.GetProfilesRequest;
import dev.parley.proto.internal.UserServiceGrpc;
import io.grpc.Channel;
import java.util.concurrent.TimeUnit;

/** Asks the user service, on behalf of the current caller (whose identity is forwarded). */
public final class GrpcUserDirectory implements UserDirectory {
  private final Channel users;

  public GrpcUserDirectory(Channel users) {
    this.users = users;
  }

  @Override
  public boolean exists(long userId) {
    return UserServiceGrpc.newBlockingStub(users)
            .withInterceptors(CallContext.current().asClientInterceptor())
            .withDeadlineAfter(5, TimeUnit.SECONDS)
            .getProfiles(GetProfilesRequest.newBuilder().addUserIds(userId).build())
            .getProfilesCount()
        == 1;
  }
}
