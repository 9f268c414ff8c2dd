package dev.parley.gateway.delivery;

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
 */
public final class ConnectionRegistry {
  private final Map<Long, Set<Recipient>> byUser = new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();

  public void register(Recipient r) {
    byUser.compute(
        r.userId(),
        (user, set) -> {
          Set<Recipient> s = set != null ? set : ConcurrentHashMap.newKeySet();
          if (s.add(r)) size.incrementAndGet();
          return s;
        });
  }

  public void unregister(Recipient r) {
    byUser.computeIfPresent(
        r.userId(),
        (user, set) -> {
          if (set.remove(r)) size.decrementAndGet();
          return set.isEmpty() ? null : set;
        });
  }

  /** The user's connections right now (a live view; empty when none). */
  public Set<Recipient> connectionsOf(long userId) {
    Set<Recipient> s = byUser.get(userId);
    return s != null ? s : Set.of();
  }

  /** Number of authenticated connections. */
  public int size() {
    return size.get();
  }
}
