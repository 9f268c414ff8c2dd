package dev.parley.push.dispatch;

import dev.parley.common.presence.Presence;
import dev.parley.common.presence.Presence.Registration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Where the gateways are, and which of them presence cannot speak for right now.
 *
 * <p>When Redis loses presence (a FLUSHALL, a restart or failover to an empty Redis), every
 * recipient looks offline until the gateways have registered again, which takes them moments
 * ({@code PresenceReporter}), but live events of those moments would be lost. So a recipient
 * missing from presence counts as <em>unknown</em>, not offline, while some gateway is unaccounted
 * for, and its deliveries go to that gateway as well (which drops those for devices it does not
 * hold).
 *
 * <p>Unaccounted for: the directory remembers each gateway it has seen registered, with when that
 * registration would run out. A registration that vanished before then was lost with the store; one
 * that ran out belongs to a gateway that stopped refreshing, that is, one that died or stopped,
 * which is forgotten. A lost gateway stays unaccounted for until it registers again or its old
 * registration would have run out (one TTL at most), at its remembered address.
 *
 * <p>Used by the dispatcher's one thread only.
 */
final class GatewayDirectory {
  /**
   * Taken off a registration's expiry: the time between Redis answering and this process reading.
   */
  private static final Duration MARGIN = Duration.ofSeconds(1);

  private record Seen(String address, Instant expires) {}

  /**
   * @param addresses the address of every gateway of the lookup that has one, registered or
   *     remembered
   * @param unaccounted the gateways whose registration was lost and not yet written again
   */
  record View(Map<String, String> addresses, Set<String> unaccounted) {}

  private final Map<String, Seen> seen = new HashMap<>();
  private final Clock clock;

  GatewayDirectory(Clock clock) {
    this.clock = clock;
  }

  /**
   * Reads the registrations of {@code wanted} and of every remembered gateway in one lookup.
   *
   * @throws RuntimeException when the presence cannot answer
   */
  View lookUp(Presence presence, Collection<String> wanted) {
    Set<String> ids = new LinkedHashSet<>(wanted);
    ids.addAll(seen.keySet());
    Map<String, Registration> found = presence.registrations(ids);
    Instant now = clock.instant();
    Map<String, String> addresses = new HashMap<>();
    Set<String> unaccounted = new LinkedHashSet<>();
    for (String id : ids) {
      Registration r = found.get(id);
      if (r != null) {
        addresses.put(id, r.address());
        if (r.expiresIn().compareTo(MARGIN) > 0)
          seen.put(id, new Seen(r.address(), now.plus(r.expiresIn()).minus(MARGIN)));
        continue;
      }
      Seen s = seen.get(id);
      if (s == null) continue;
      if (now.isBefore(s.expires())) {
        addresses.put(id, s.address());
        unaccounted.add(id);
      } else {
        seen.remove(id);
      }
    }
    return new View(addresses, unaccounted);
  }
}
