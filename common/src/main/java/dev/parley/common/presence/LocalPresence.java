package dev.parley.common.presence;

import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The single node's presence: which users have sessions connected, and when each other user's last
 * one closed, in memory. The gateway is in the same process, so its reports are exact and nothing
 * needs refreshing or routing ({@link #sessionsOf} knows the sessions but no gateway addresses: the
 * single node's deliveries never leave the process).
 *
 * <p>Last seen is not kept across a restart: after one, users not yet reconnected show as never
 * seen ("long ago") until they connect and leave again. Kept in memory because it is written on
 * every last disconnect and losing it costs only that (design.md 13.2).
 */
public final class LocalPresence implements Presence, PresenceStatus {
  private static final String HERE = "local";

  private final Clock clock;
  private final Map<Long, Set<Long>> sessions = new ConcurrentHashMap<>();
  private final Map<Long, java.time.Instant> lastSeen = new ConcurrentHashMap<>();

  public LocalPresence(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void connected(long userId, long sessionId) {
    sessions.computeIfAbsent(userId, u -> ConcurrentHashMap.newKeySet()).add(sessionId);
  }

  @Override
  public void disconnected(long userId, long sessionId) {
    sessions.computeIfPresent(
        userId,
        (user, set) -> {
          set.remove(sessionId);
          if (!set.isEmpty()) return set;
          lastSeen.put(user, clock.instant());
          return null;
        });
  }

  /** Connects and disconnects are reported exactly and in order: nothing to re-assert. */
  @Override
  public void refresh(Collection<long[]> sessions) {}

  @Override
  public Map<Long, Map<Long, String>> sessionsOf(Collection<Long> userIds) {
    Map<Long, Map<Long, String>> found = new HashMap<>();
    for (long user : userIds) {
      Set<Long> s = sessions.get(user);
      if (s == null || s.isEmpty()) continue;
      Map<Long, String> here = new HashMap<>();
      for (long session : s) here.put(session, HERE);
      found.put(user, here);
    }
    return found;
  }

  @Override
  public Optional<String> address(String gatewayId) {
    return Optional.empty();
  }

  @Override
  public Map<Long, Status> statusOf(Collection<Long> userIds) {
    Map<Long, Status> found = new HashMap<>();
    for (long user : userIds) {
      Set<Long> s = sessions.get(user);
      found.put(user, new Status(s != null && !s.isEmpty(), lastSeen.get(user)));
    }
    return found;
  }
}
