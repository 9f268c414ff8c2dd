package dev.parley.gateway.support;

import dev.parley.common.presence.Presence;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** A presence that records what the gateway tells it, and the thread it was told on. */
public final class RecordingPresence implements Presence {
  /** One call: "connected 1/11", "disconnected 1/11" or "refresh [1/11, 2/21]" (pairs sorted). */
  public final List<String> calls = new CopyOnWriteArrayList<>();

  public final Set<String> threads = ConcurrentHashMap.newKeySet();

  /**
   * What {@link #registered()} answers: every refresh sets it; a test clears it to play a flushed
   * store.
   */
  public final AtomicBoolean registered = new AtomicBoolean();

  @Override
  public void connected(long userId, long sessionId) {
    record("connected " + userId + "/" + sessionId);
  }

  @Override
  public void disconnected(long userId, long sessionId) {
    record("disconnected " + userId + "/" + sessionId);
  }

  @Override
  public void refresh(Collection<long[]> sessions) {
    record("refresh " + sessions.stream().map(s -> s[0] + "/" + s[1]).sorted().toList());
    registered.set(true);
  }

  @Override
  public boolean registered() {
    return registered.get();
  }

  /** How many refreshes were made. */
  public long refreshes() {
    return calls.stream().filter(c -> c.startsWith("refresh")).count();
  }

  @Override
  public Map<Long, Map<Long, String>> sessionsOf(Collection<Long> userIds) {
    return Map.of();
  }

  @Override
  public Optional<String> address(String gatewayId) {
    return Optional.empty();
  }

  /** The calls other than refreshes, in order. */
  public List<String> changes() {
    return calls.stream().filter(c -> !c.startsWith("refresh")).toList();
  }

  /** The latest refresh, or "" before the first. */
  public String lastRefresh() {
    String last = "";
    for (String c : calls) if (c.startsWith("refresh")) last = c;
    return last;
  }

  private void record(String call) {
    threads.add(Thread.currentThread().getName());
    calls.add(call);
  }
}
