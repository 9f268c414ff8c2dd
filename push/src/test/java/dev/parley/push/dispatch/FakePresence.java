package dev.parley.push.dispatch;

import dev.parley.common.presence.Presence;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reading side of presence, set by the test: which gateways hold each user, and their
 * addresses.
 */
final class FakePresence implements Presence {
  private final Map<Long, Set<String>> online = new ConcurrentHashMap<>();
  private final Map<String, String> addresses = new ConcurrentHashMap<>();
  private final Map<String, Duration> expiries = new ConcurrentHashMap<>();

  FakePresence online(long userId, String... gatewayIds) {
    online.put(userId, Set.of(gatewayIds));
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
  public Map<Long, Set<String>> gatewaysOf(Collection<Long> userIds) {
    Map<Long, Set<String>> result = new HashMap<>();
    for (long u : userIds) {
      Set<String> gateways = online.get(u);
      if (gateways != null && !gateways.isEmpty()) result.put(u, gateways);
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
