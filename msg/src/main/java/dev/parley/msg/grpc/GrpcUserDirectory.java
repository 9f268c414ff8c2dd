package dev.parley.msg.grpc;

import dev.parley.common.grpc.CallContext;
import dev.parley.common.privacy.PrivacyProtos;
import dev.parley.common.privacy.PrivacySettings;
import dev.parley.msg.core.UserDirectory;
import dev.parley.proto.internal.FindUsersRequest;
import dev.parley.proto.internal.GetPrivacyOfRequest;
import dev.parley.proto.internal.GetProfilesOfRequest;
import dev.parley.proto.internal.RecordRoleChangeRequest;
import dev.parley.proto.internal.UserServiceGrpc;
import io.grpc.Channel;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

/**
 * Asks and tells the user service, on behalf of the current caller (whose identity is forwarded).
 */
public final class GrpcUserDirectory implements UserDirectory {
  /** FindUsers takes at most this many ids (a group invite names up to 199 users). */
  private static final int IDS_PER_CALL = 200;

  /** GetProfilesOf takes at most this many ids. */
  private static final int PROFILES_PER_CALL = 200;

  private final Channel users;

  public GrpcUserDirectory(Channel users) {
    this.users = users;
  }

  @Override
  public boolean exists(long userId) {
    return unknown(new long[] {userId}).length == 0;
  }

  /**
   * FindUsers, not GetProfiles: a client's GetProfiles hides users who blocked the caller, and
   * charges ids that name no one against the caller's budget; here the question is only whether the
   * account exists (blocks are this service's own check, answered BLOCKED).
   */
  @Override
  public long[] unknown(long[] userIds) {
    Set<Long> found = new HashSet<>();
    for (int from = 0; from < userIds.length; from += IDS_PER_CALL) {
      long[] chunk =
          Arrays.copyOfRange(userIds, from, Math.min(userIds.length, from + IDS_PER_CALL));
      found.addAll(
          UserServiceGrpc.newBlockingStub(users)
              .withInterceptors(CallContext.current().asClientInterceptor())
              .withDeadlineAfter(5, TimeUnit.SECONDS)
              .findUsers(
                  FindUsersRequest.newBuilder()
                      .addAllUserIds(LongStream.of(chunk).boxed().toList())
                      .build())
              .getExistingList());
    }
    return LongStream.of(userIds).filter(id -> !found.contains(id)).toArray();
  }

  @Override
  public Map<Long, PrivacySettings> privacy(Collection<Long> userIds) {
    Map<Long, PrivacySettings> all = new HashMap<>();
    List<Long> ids = List.copyOf(new LinkedHashSet<>(userIds));
    for (int from = 0; from < ids.size(); from += IDS_PER_CALL)
      UserServiceGrpc.newBlockingStub(users)
          .withInterceptors(CallContext.current().asClientInterceptor())
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .getPrivacyOf(
              GetPrivacyOfRequest.newBuilder()
                  .addAllUserIds(ids.subList(from, Math.min(ids.size(), from + IDS_PER_CALL)))
                  .build())
          .getSettingsMap()
          .forEach((id, settings) -> all.put(id, PrivacyProtos.fromProto(settings)));
    return all;
  }

  @Override
  public Map<Long, Profile> profiles(Collection<Long> userIds) {
    Map<Long, Profile> all = new HashMap<>();
    List<Long> ids = List.copyOf(new LinkedHashSet<>(userIds));
    for (int from = 0; from < ids.size(); from += PROFILES_PER_CALL)
      for (dev.parley.proto.client.Profile p :
          UserServiceGrpc.newBlockingStub(users)
              .withInterceptors(CallContext.current().asClientInterceptor())
              .withDeadlineAfter(5, TimeUnit.SECONDS)
              .getProfilesOf(
                  GetProfilesOfRequest.newBuilder()
                      .addAllUserIds(
                          ids.subList(from, Math.min(ids.size(), from + PROFILES_PER_CALL)))
                      .build())
              .getProfilesList())
        all.put(
            p.getUserId(),
            new Profile(p.getUserId(), p.getDisplayName(), p.getUsername(), p.getAvatarFileId()));
    return all;
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
