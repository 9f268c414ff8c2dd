package dev.parley.common.presence;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which gateway holds which devices, for routing events in a cluster. Gateways write it ({@link
 * #connected}, {@link #disconnected}, {@link #refresh}); the dispatcher reads it ({@link
 * #gatewaysOf}, {@link #address}).
 *
 * <p>Never the only copy of anything: entries expire unless refreshed, and every gateway re-asserts
 * all of its connections periodically, and at once when it finds its registration gone ({@link
 * #registered}), so a wiped store heals within moments.
 */
public interface Presence {
  /** This gateway now holds a connection of the session. */
  void connected(long userId, long sessionId);

  /** This gateway no longer holds any connection of the session. */
  void disconnected(long userId, long sessionId);

  /**
   * Re-asserts every (user, session) this gateway holds and its own address; called periodically.
   *
   * @param sessions pairs of {user id, session id}
   */
  void refresh(Collection<long[]> sessions);

  /**
   * Whether this gateway's registration (its address, which every refresh writes first) is still in
   * the store. False once the store lost it (flushed, restarted empty) or it expired: the entries
   * of the last refresh may then be gone as well, and the gateway should refresh at once rather
   * than at its next interval. A store that cannot answer says true: nothing can be re-asserted
   * until it does.
   */
  default boolean registered() {
    return true;
  }

  /**
   * For each user with at least one online device: the ids of the gateways holding them. Derived
   * from {@link #sessionsOf}.
   */
  default Map<Long, Set<String>> gatewaysOf(Collection<Long> userIds) {
    Map<Long, Set<String>> gateways = new HashMap<>();
    sessionsOf(userIds)
        .forEach((user, sessions) -> gateways.put(user, new LinkedHashSet<>(sessions.values())));
    return gateways;
  }

  /**
   * For each user with at least one online device: each connected session and the id of the gateway
   * holding it. The push pipeline needs the sessions (a user reading on a laptop still gets the
   * phone notified), routing only the gateways.
   */
  Map<Long, Map<Long, String>> sessionsOf(Collection<Long> userIds);

  /** The internal address (host:port) of a live gateway. */
  Optional<String> address(String gatewayId);

  /**
   * A gateway's registration as the store holds it.
   *
   * @param expiresIn how long it lives unless the gateway refreshes it; zero when the store cannot
   *     tell
   */
  record Registration(String address, Duration expiresIn) {}

  /** The registrations the store holds of these gateways (a gateway without one is absent). */
  default Map<String, Registration> registrations(Collection<String> gatewayIds) {
    Map<String, Registration> found = new HashMap<>();
    for (String id : gatewayIds)
      address(id).ifPresent(a -> found.put(id, new Registration(a, Duration.ZERO)));
    return found;
  }

  /**
   * A presence that records nothing and knows no one: for the single node, whose gateway receives
   * every delivery in process and needs no directory.
   */
  static Presence none() {
    return None.INSTANCE;
  }

  /** The singleton behind {@link #none()}. */
  enum None implements Presence {
    INSTANCE;

    @Override
    public void connected(long userId, long sessionId) {}

    @Override
    public void disconnected(long userId, long sessionId) {}

    @Override
    public void refresh(Collection<long[]> sessions) {}

    @Override
    public Map<Long, Map<Long, String>> sessionsOf(Collection<Long> userIds) {
      return Map.of();
    }

    @Override
    public Optional<String> address(String gatewayId) {
      return Optional.empty();
    }
  }
}
