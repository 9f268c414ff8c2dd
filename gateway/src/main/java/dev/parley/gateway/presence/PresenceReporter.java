package dev.parley.gateway.presence;

import dev.parley.common.presence.Presence;
import dev.parley.gateway.delivery.ConnectionRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a {@link Presence} which sessions this gateway holds, so that the dispatcher can route
 * their events here: a session's first connection → {@code connected}, its last close → {@code
 * disconnected} (both from the {@link ConnectionRegistry}), and every refresh interval the whole
 * snapshot → {@code refresh}, which also re-registers the gateway's address.
 *
 * <p>Loss: between refreshes the store may lose everything (Redis flushed, or restarted empty), and
 * the dispatcher would then take this gateway's devices for offline until the next refresh, up to a
 * whole interval. So every {@link #DEFAULT_LOSS_CHECK} the reporter asks whether its registration
 * is still there ({@link Presence#registered}, one cheap read) and refreshes at once when it is
 * not: presence is whole again well within a second of the store coming back empty. The
 * registration is written first by each refresh, so a loss in the middle of one is seen too.
 *
 * <p>Threading: every presence call runs on one dedicated thread, never on an event loop, since a
 * presence may wait on the network (a refresh waits for its batches). One thread also keeps the
 * order: the registry hands news on in the order it changed, and a refresh takes its snapshot when
 * it runs, so a change either is in the snapshot or is applied after it. Once the queue has
 * drained, the presence therefore says what the registry says.
 *
 * <p>Live presence: besides the sessions, the reporter counts each user's sessions here and tells
 * the {@link PresenceAnnouncements} when a user's first one opens and last one closes, on the same
 * thread and after the presence call, so that the message service reads a store that already shows
 * the change (design.md 13.2).
 *
 * <p>Failures are the presence's business (Redis's logs and counts them); an exception that escapes
 * anyway is logged here and never reaches a connection or stops the refresh loop.
 */
public final class PresenceReporter implements ConnectionRegistry.SessionListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PresenceReporter.class);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

  /** How often the registration is checked: a flush is repaired within this plus one refresh. */
  public static final Duration DEFAULT_LOSS_CHECK = Duration.ofMillis(250);

  private final Presence presence;
  private final PresenceAnnouncements announcements;
  private final Duration refreshInterval;
  private final Duration lossCheck;

  /** One daemon thread, started by the first task (so an unstarted gateway holds none). */
  private final ScheduledThreadPoolExecutor executor;

  private @Nullable ScheduledFuture<?> refreshing;
  private @Nullable ScheduledFuture<?> checking;

  /** Touched only on the presence thread. */
  private boolean lossLogged;

  /** Sessions per user here; touched only on the presence thread. */
  private final Map<Long, Integer> sessionsPerUser = new HashMap<>();

  public PresenceReporter(Presence presence, Duration refreshInterval) {
    this(presence, refreshInterval, DEFAULT_LOSS_CHECK, PresenceAnnouncements.NONE);
  }

  /**
   * @param announcements told when a user's first session here opens and last one closes
   */
  public PresenceReporter(
      Presence presence, Duration refreshInterval, PresenceAnnouncements announcements) {
    this(presence, refreshInterval, DEFAULT_LOSS_CHECK, announcements);
  }

  public PresenceReporter(Presence presence, Duration refreshInterval, Duration lossCheck) {
    this(presence, refreshInterval, lossCheck, PresenceAnnouncements.NONE);
  }

  public PresenceReporter(
      Presence presence,
      Duration refreshInterval,
      Duration lossCheck,
      PresenceAnnouncements announcements) {
    if (refreshInterval.isNegative() || refreshInterval.isZero()) {
      throw new IllegalArgumentException("presence refresh interval must be > 0");
    }
    if (lossCheck.isNegative() || lossCheck.isZero()) {
      throw new IllegalArgumentException("presence loss check interval must be > 0");
    }
    this.presence = presence;
    this.announcements = announcements;
    this.refreshInterval = refreshInterval;
    this.lossCheck = lossCheck;
    this.executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "parley-presence");
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
  }

  /** Whether there is anything to report to; the single node's {@link Presence#none()} is not. */
  public boolean enabled() {
    return presence != Presence.none();
  }

  /** The registry's listener: this reporter, or nothing when disabled. */
  public ConnectionRegistry.SessionListener listener() {
    return enabled() ? this : ConnectionRegistry.SessionListener.NONE;
  }

  /**
   * Starts refreshing now (which registers the address) and then every refresh interval, and
   * checking for a lost registration every loss-check interval.
   */
  public synchronized void start(Supplier<? extends Collection<long[]>> sessions) {
    if (!enabled() || refreshing != null) return;
    long every = refreshInterval.toMillis();
    refreshing =
        executor.scheduleWithFixedDelay(
            () -> run("refresh", () -> presence.refresh(sessions.get())),
            0,
            every,
            TimeUnit.MILLISECONDS);
    long check = lossCheck.toMillis();
    checking =
        executor.scheduleWithFixedDelay(
            () -> run("loss check", () -> refreshIfLost(sessions)),
            check,
            check,
            TimeUnit.MILLISECONDS);
  }

  private void refreshIfLost(Supplier<? extends Collection<long[]>> sessions) {
    if (presence.registered()) {
      lossLogged = false;
      return;
    }
    // Once per loss: a store that keeps refusing the refresh (a read-only replica) would repeat it.
    if (!lossLogged)
      log.info(
          "Presence registration gone (store flushed or restarted empty, or refreshes failing); refreshing now");
    lossLogged = true;
    presence.refresh(sessions.get());
  }

  @Override
  public void sessionOpened(long userId, long sessionId) {
    submit(
        "connected",
        () -> {
          presence.connected(userId, sessionId);
          if (sessionsPerUser.merge(userId, 1, Integer::sum) == 1) announcements.online(userId);
        });
  }

  @Override
  public void sessionClosed(long userId, long sessionId) {
    submit(
        "disconnected",
        () -> {
          presence.disconnected(userId, sessionId);
          if (sessionsPerUser.merge(userId, -1, Integer::sum) <= 0) {
            sessionsPerUser.remove(userId);
            announcements.offline(userId);
          }
        });
  }

  /**
   * Stops refreshing and waits briefly for the calls already queued (the last connections'
   * disconnects), so that a gateway that stops cleanly leaves no entries behind.
   */
  @Override
  public synchronized void close() {
    if (refreshing != null) refreshing.cancel(false);
    if (checking != null) checking.cancel(false);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("Presence calls still queued after {}; their entries will expire", CLOSE_WAIT);
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      executor.shutdownNow();
    }
  }

  private void submit(String what, Runnable call) {
    try {
      executor.execute(() -> run(what, call));
    } catch (RejectedExecutionException e) {
      log.debug("Presence reporter closed; {} not reported", what);
    }
  }

  private static void run(String what, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.warn("Presence {} failed", what, e);
    }
  }
}
