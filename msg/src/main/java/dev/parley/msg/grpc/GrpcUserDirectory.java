package dev.parley.msg.grpc;

import dev.parley.common.grpc.CallContext;
import dev.parley.msg.core.UserDirectory;
import dev.parley.proto.client.GetProfilesRequest;
import dev.parley.proto.client.Profile;
import dev.parley.proto.internal.RecordRoleChangeRequest;
import dev.parley.proto.internal.UserServiceGrpc;
import io.grpc.Channel;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

/**
 * Asks and tells the user service, on behalf of the current caller (whose identity is forwarded).
 */
public final class GrpcUserDirectory implements UserDirectory {
  /** GetProfilesRequest takes at most this many ids. */
  private static final int PROFILES_PER_CALL = 100;

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

  /** One GetProfiles call per 100 ids (a group invite names up to 199 users). */
  @Override
  public long[] unknown(long[] userIds) {
    Set<Long> found = new HashSet<>();
    for (int from = 0; from < userIds.length; from += PROFILES_PER_CALL) {
      long[] chunk =
          Arrays.copyOfRange(userIds, from, Math.min(userIds.length, from + PROFILES_PER_CALL));
      UserServiceGrpc.newBlockingStub(users)
          .withInterceptors(CallContext.current().asClientInterceptor())
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .getProfiles(
              GetProfilesRequest.newBuilder()
                  .addAllUserIds(LongStream.of(chunk).boxed().toList())
                  .build())
          .getProfilesList()
          .stream()
          .map(Profile::getUserId)
          .forEach(found::add);
    }
    return LongStream.of(userIds).filter(id -> !found.contains(id)).toArray();
  }

  @Override
  public void roleChanged(long userId, long groupId, long actorId, String role) {
    UserServiceGrpc.newBlockingStub(users)
        .withInterceptors(CallContext.current().asClientInterceptor())
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .recordRoleChange(
            RecordRoleChangeRequest.newBuilder()
                .setUserId(userId)
                .setGroupId(groupId)
                .setActorId(actorId)
                .setRole(role)
                .build());
  }
}
