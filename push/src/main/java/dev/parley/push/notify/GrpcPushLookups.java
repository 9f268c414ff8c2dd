package dev.parley.push.notify;

import dev.parley.proto.internal.GetDisplayNamesRequest;
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

  private final Channel users;
  private final Channel messages;
  private final Clock clock;
  private final Map<Long, Name> names = new ConcurrentHashMap<>();

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

  /**
   * Through the internal GetDisplayNames, not a client's GetProfiles: the push role has no user's
   * access token to call as, and a push names the sender of an entry the recipient may already
   * read.
   */
  @Override
  public String displayName(long userId) {
    Instant now = clock.instant();
    Name cached = names.get(userId);
    if (cached != null && now.isBefore(cached.until())) return cached.value();
    String name;
    try {
      name =
          userService()
              .getDisplayNames(GetDisplayNamesRequest.newBuilder().addUserIds(userId).build())
              .getNamesOrDefault(userId, "");
    } catch (RuntimeException e) {
      // A name is not worth holding the push back: it goes out unnamed ("Someone"), uncached.
      log.warn("Looking up the name of user {} for a push failed: {}", userId, e.toString());
      return "";
    }
    if (names.size() >= MAX_CACHED_NAMES) names.clear();
    names.put(userId, new Name(name, now.plus(NAME_TTL)));
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
