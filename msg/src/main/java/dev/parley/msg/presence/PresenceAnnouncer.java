package dev.parley.msg.presence;

import dev.parley.common.presence.PresenceStatus;
import dev.parley.common.presence.PresenceStatus.Status;
import dev.parley.proto.client.Event;
import dev.parley.proto.client.UserPresence;
import dev.parley.proto.internal.Delivery;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live presence (design.md 13.2): turns a gateway's "first connection of this user opened" and
 * "last connection closed" into {@code presence_changed} events for the {@link
 * PresenceReader#audienceOf}, handed to their gateways like a typing indicator (never stored).
 *
 * <p>Flapping. Offline is announced only after the grace period, and only if the user is still
 * offline then (a later close of the same user replaces the pending check, so one goes out). Online
 * is announced only if the user's last seen is older than the grace period: a reconnect within it
 * finds a recent last seen, and since the offline was not announced either, friends saw nothing.
 * Both decisions read the presence store, not state of this instance, so they hold when the two
 * connections are on different gateways and the calls reach different msg instances (at worst a
 * value is announced twice, which a client applies idempotently). A user therefore causes at most
 * one offline and one online event per grace period, however fast they reconnect.
 *
 * <p>Cost bounds: the work runs on one thread of its own; at most {@link #MAX_PENDING} checks may
 * wait (new ones are dropped and counted in {@code parley_msg_presence_dropped_total}: friends then
 * keep the previous value until they ask), and each costs what {@link PresenceReader#audienceOf}
 * says.
 */
public final class PresenceAnnouncer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PresenceAnnouncer.class);

  /** The most checks that may wait, both immediate and delayed. */
  public static final int MAX_PENDING = 100_000;

  private final PresenceStatus presence;
  private final PresenceReader reader;
  private final Consumer<Delivery> sink;
  private final Duration grace;
  private final Clock clock;
  private final ScheduledThreadPoolExecutor executor;
  private final Map<Long, ScheduledFuture<?>> offlineChecks = new ConcurrentHashMap<>();
  private final AtomicInteger pending = new AtomicInteger();
  private final Counter announced;
  private final Counter dropped;

  /**
   * @param sink hands a delivery to the gateways holding its recipients, as for typing
   * @param grace how long after a user's last connection closed the offline is announced
   */
  public PresenceAnnouncer(
      PresenceStatus presence,
      PresenceReader reader,
      Consumer<Delivery> sink,
      Duration grace,
      Clock clock,
      MeterRegistry metrics) {
    if (grace.isNegative()) throw new IllegalArgumentException("presence grace must be >= 0");
    this.presence = presence;
    this.reader = reader;
    this.sink = sink;
    this.grace = grace;
    this.clock = clock;
    this.executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "msg-presence");
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    this.announced =
        Counter.builder("parley_msg_presence_announced_total")
            .description("presence_changed events handed to the gateways (one per change)")
            .register(metrics);
    this.dropped =
        Counter.builder("parley_msg_presence_dropped_total")
            .description("Presence changes not announced because too many were waiting")
            .register(metrics);
  }

  /** The user's first connection on some gateway opened. */
  public void online(long userId) {
    schedule(userId, true, Duration.ZERO);
  }

  /** The user's last connection on some gateway closed: checked again after the grace period. */
  public void offline(long userId) {
    ScheduledFuture<?> check = schedule(userId, false, grace);
    if (check == null) return;
    ScheduledFuture<?> earlier = offlineChecks.put(userId, check);
    if (earlier != null && earlier.cancel(false)) pending.decrementAndGet();
  }

  private @Nullable ScheduledFuture<?> schedule(long userId, boolean online, Duration delay) {
    if (pending.incrementAndGet() > MAX_PENDING) {
      pending.decrementAndGet();
      dropped.increment();
      return null;
    }
    try {
      return executor.schedule(
          () -> {
            pending.decrementAndGet();
            if (!online) offlineChecks.remove(userId);
            try {
              check(userId, online);
            } catch (RuntimeException e) {
              log.debug("Announcing the presence of user {} failed (friends may ask)", userId, e);
            }
          },
          delay.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      pending.decrementAndGet();
      return null;
    }
  }

  private void check(long userId, boolean online) {
    Status now = presence.statusOf(List.of(userId)).getOrDefault(userId, Status.UNKNOWN);
    if (now.online() != online) return; // changed back meanwhile: that change announces itself
    Instant lastSeen = now.lastSeen();
    UserPresence.Builder value = UserPresence.newBuilder().setUserId(userId);
    if (online) {
      // Back within the grace period: the offline was never announced, so neither is this.
      if (lastSeen != null && Duration.between(lastSeen, clock.instant()).compareTo(grace) < 0)
        return;
      value.setOnline(true);
    } else {
      if (lastSeen == null) return;
      value.setLastSeenMs(lastSeen.toEpochMilli());
    }
    List<Long> viewers = reader.audienceOf(userId, now);
    if (viewers.isEmpty()) return;
    sink.accept(
        Delivery.newBuilder()
            .setEvent(Event.newBuilder().setPresenceChanged(value))
            .addAllUserIds(viewers)
            .build());
    announced.increment();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
