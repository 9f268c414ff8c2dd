package dev.parley.push.notify;

import dev.parley.common.grpc.CallContext;
import dev.parley.proto.client.GetProfilesRequest;
import dev.parley.proto.client.Profile;
import dev.parley.proto.internal.GetNotifyFactsRequest;
import dev.parley.proto.internal.ListPushTargetsRequest;
import dev.parley.proto.internal.NotifyFacts;
import dev.parley.proto.internal.NotifyFactsKey;
import dev.parley.proto.internal.RemovePushTargetRequest;
import dev.parley.proto.internal.SessionPushTarget;
import dev.parley.proto.internal.SettingsServiceGrpc;
import dev.parley.proto.internal.UserServiceGrpc;
import io.grpc.Channel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@link PushLookups} over the services' internal gRPC contracts: in-process channels in the single
 * node, network channels in a cluster. Display names are cached briefly ({@link #NAME_TTL}): a
 * burst of messages from one sender asks once, and a renamed user shows the new name within a
 * minute.
 */
public final class GrpcPushLookups implements PushLookups {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(GrpcPushLookups.class);
  static final Duration NAME_TTL = Duration.ofMinutes(1);
  private static final int MAX_CACHED_NAMES = 10_000;
  private static final long DEADLINE_SECONDS = 5;

  private record Name(String value, Instant until) {}

  private record NameKey(long userId, long viewer) {}

  private final Channel users;
  private final Channel messages;
  private final Clock clock;
  private final Map<NameKey, Name> names = new ConcurrentHashMap<>();

  public GrpcPushLookups(Channel users, Channel messages, Clock clock) {
    this.users = users;
    this.messages = messages;
    this.clock = clock;
  }

  private UserServiceGrpc.UserServiceBlockingStub userService() {
    return UserServiceGrpc.newBlockingStub(users)
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public List<SessionPushTarget> targets(long userId) {
    return userService()
        .listPushTargets(ListPushTargetsRequest.newBuilder().addUserIds(userId).build())
        .getTargetsList();
  }

  @Override
  public NotifyFacts facts(long userId, long conversationId) {
    return SettingsServiceGrpc.newBlockingStub(messages)
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
        .getNotifyFacts(
            GetNotifyFactsRequest.newBuilder()
                .addKeys(
                    NotifyFactsKey.newBuilder().setUserId(userId).setConversationId(conversationId))
                .build())
        .getFacts(0);
  }

  /** Asked as the viewer, so a user the viewer cannot see (blocked them) stays unnamed. */
  @Override
  public String displayName(long userId, long viewer) {
    Instant now = clock.instant();
    NameKey key = new NameKey(userId, viewer);
    Name cached = names.get(key);
    if (cached != null && now.isBefore(cached.until())) return cached.value();
    List<Profile> found;
    try {
      found =
          userService()
              .withInterceptors(new CallContext(viewer, 0, "").asClientInterceptor())
              .getProfiles(GetProfilesRequest.newBuilder().addUserIds(userId).build())
              .getProfilesList();
    } catch (RuntimeException e) {
      // A name is not worth holding the push back: it goes out unnamed ("Someone").
      log.warn("Looking up the name of user {} for a push failed", userId, e);
      found = List.of();
    }
    String name = found.isEmpty() ? "" : found.get(0).getDisplayName();
    if (names.size() >= MAX_CACHED_NAMES) names.clear();
    names.put(key, new Name(name, now.plus(NAME_TTL)));
    return name;
  }

  @Override
  public boolean removeTarget(long sessionId, String address) {
    return userService()
        .removePushTarget(
            RemovePushTargetRequest.newBuilder()
                .setSessionId(sessionId)
                .setAddress(address)
                .build())
        .getRemoved();
  }
}
