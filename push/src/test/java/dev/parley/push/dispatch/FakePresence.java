package dev.parley.push.dispatch;

import dev.parley.common.presence.Presence;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reading side of presence, set by the test: which gateways hold each user, and their
 * addresses.
 */
final class FakePresence implements Presence {
  private final Map<Long, Map<Long, String>> online = new ConcurrentHashMap<>();
  private final Map<String, String> addresses = new ConcurrentHashMap<>();
  private final Map<String, Duration> expiries = new ConcurrentHashMap<>();

  /** The user has one session on each of these gateways (session ids userId * 100 + 1, + 2, …). */
  FakePresence online(long userId, String... gatewayIds) {
    Map<Long, String> sessions = new HashMap<>();
    for (int i = 0; i < gatewayIds.length; i++) sessions.put(userId * 100 + i + 1, gatewayIds[i]);
    online.put(userId, sessions);
    return this;
  }

  /** The user's session is connected to this gateway (besides those already set). */
  FakePresence session(long userId, long sessionId, String gatewayId) {
    online.computeIfAbsent(userId, u -> new ConcurrentHashMap<>()).put(sessionId, gatewayId);
    return this;
  }

  FakePresence gateway(String gatewayId, String address) {
    addresses.put(gatewayId, address);
    return this;
  }

  /** A registration that lives {@code expiresIn} (as Redis's PTTL tells it). */
  FakePresence gateway(String gatewayId, String address, Duration expiresIn) {
    expiries.put(gatewayId, expiresIn);
    return gateway(gatewayId, address);
  }

  /** The store lost (or expired) the gateway's registration. */
  FakePresence forget(String gatewayId) {
    addresses.remove(gatewayId);
    return this;
  }

  @Override
  public Map<String, Registration> registrations(Collection<String> gatewayIds) {
    Map<String, Registration> found = new HashMap<>();
    for (String id : gatewayIds) {
      String address = addresses.get(id);
      if (address != null)
        found.put(id, new Registration(address, expiries.getOrDefault(id, Duration.ZERO)));
    }
    return found;
  }

  @Override
  public Map<Long, Map<Long, String>> sessionsOf(Collection<Long> userIds) {
    Map<Long, Map<Long, String>> result = new HashMap<>();
    for (long u : userIds) {
      Map<Long, String> sessions = online.get(u);
      if (sessions != null && !sessions.isEmpty()) result.put(u, Map.copyOf(sessions));
    }
    return result;
  }

  @Override
  public Optional<String> address(String gatewayId) {
    return Optional.ofNullable(addresses.get(gatewayId));
  }

  @Override
  public void connected(long userId, long sessionId) {
    throw new UnsupportedOperationException("the dispatcher only reads presence");
  }

  @Override
  public void disconnected(long userId, long sessionId) {
    throw new UnsupportedOperationException("the dispatcher only reads presence");
  }

  @Override
  public void refresh(Collection<long[]> sessions) {
    throw new UnsupportedOperationException("the dispatcher only reads presence");
  }
}
