package dev.parley.gateway.delivery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The authenticated connections of this gateway, by user id. Written by event loops (register after
 * {@code authenticate}, unregister on close), read by the delivery fan-out on the bus thread.
 *
 * <p>Invariant: a user's entry exists exactly while it has at least one connection; add and remove
 * run inside {@code compute} on the user's key, so a concurrent add cannot land in a set that is
 * being dropped. Readers iterate a live concurrent set: a connection registered during a fan-out
 * may or may not get that event, which is fine because events are best effort (sync catches up).
 *
 * <p>Sessions: a session (device) may briefly have several connections here (a reconnect that
 * overtakes the old connection's close). The {@link SessionListener} hears of a session when its
 * first connection registers and when its last one unregisters, called inside the same {@code
 * compute}, so the calls for one user are made in the order the registry changed.
 */
public final class ConnectionRegistry {
  /**
   * Told when a session gains its first or loses its last connection on this gateway. Called while
   * the user's entry is locked: it must only hand the news on (enqueue), never block or call back.
   */
  public interface SessionListener {
    SessionListener NONE =
        new SessionListener() {
          @Override
          public void sessionOpened(long userId, long sessionId) {}

          @Override
          public void sessionClosed(long userId, long sessionId) {}
        };

    void sessionOpened(long userId, long sessionId);

    void sessionClosed(long userId, long sessionId);
  }

  private final Map<Long, Set<Recipient>> byUser = new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();
  private final SessionListener listener;

  public ConnectionRegistry() {
    this(SessionListener.NONE);
  }

  public ConnectionRegistry(SessionListener listener) {
    this.listener = listener;
  }

  public void register(Recipient r) {
    byUser.compute(
        r.userId(),
        (user, set) -> {
          Set<Recipient> s = set != null ? set : ConcurrentHashMap.newKeySet();
          boolean first = !hasSession(s, r.sessionId());
          if (s.add(r)) {
            size.incrementAndGet();
            if (first) listener.sessionOpened(r.userId(), r.sessionId());
          }
          return s;
        });
  }

  public void unregister(Recipient r) {
    byUser.computeIfPresent(
        r.userId(),
        (user, set) -> {
          if (set.remove(r)) {
            size.decrementAndGet();
            if (!hasSession(set, r.sessionId())) listener.sessionClosed(r.userId(), r.sessionId());
          }
          return set.isEmpty() ? null : set;
        });
  }

  /** The user's connections right now (a live view; empty when none). */
  public Set<Recipient> connectionsOf(long userId) {
    Set<Recipient> s = byUser.get(userId);
    return s != null ? s : Set.of();
  }

  /**
   * Every (user id, session id) with at least one connection, each once: a snapshot for presence
   * refreshes (weakly consistent with concurrent changes, which the listener reports anyway).
   */
  public List<long[]> sessions() {
    List<long[]> sessions = new ArrayList<>(byUser.size());
    byUser.forEach(
        (user, set) ->
            set.stream()
                .mapToLong(Recipient::sessionId)
                .distinct()
                .forEach(session -> sessions.add(new long[] {user, session})));
    return sessions;
  }

  /**
   * For each of these users with a connection here: the sessions connected (the single node's push
   * hand-off notifies the others).
   */
  public Map<Long, Set<Long>> sessionsOf(Collection<Long> userIds) {
    Map<Long, Set<Long>> connected = new HashMap<>();
    for (long user : userIds) {
      Set<Recipient> s = byUser.get(user);
      if (s == null) continue;
      Set<Long> sessions = new HashSet<>();
      for (Recipient r : s) sessions.add(r.sessionId());
      if (!sessions.isEmpty()) connected.put(user, sessions);
    }
    return connected;
  }

  /** Number of authenticated connections. */
  public int size() {
    return size.get();
  }

  private static boolean hasSession(Set<Recipient> connections, long sessionId) {
    for (Recipient c : connections) {
      if (c.sessionId() == sessionId) return true;
    }
    return false;
  }
}
