package dev.parley.client;

import dev.parley.client.Connection.State;
import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.Event;
import dev.parley.proto.client.GetConversationsResponse;
import dev.parley.proto.client.GetDifferenceResponse;
import dev.parley.proto.client.GetStateResponse;
import dev.parley.proto.client.Update;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link SyncStore} in step with the user's two streams (sync.proto, design.md 8.3, 8.5,
 * 8.6): the update feed (positions pts) and the logs of the user's groups (positions seq, one log
 * per group).
 *
 * <h2>Design</h2>
 *
 * Everything runs on one serial executor, one task at a time: connection state changes, live
 * updates, timer expiries. Requests made while synchronizing are awaited on that executor's
 * (virtual) thread, so the algorithm reads top to bottom and the fields need no locks; live updates
 * that arrive meanwhile queue behind the running task and are judged by the positions it left
 * behind.
 *
 * <ul>
 *   <li><b>Catch-up</b>, on every READY: (1) without a stored pts (a new device) rebuild — {@code
 *       get_state} (remember its pts), {@code get_conversations} page by page as the baselines
 *       (each conversation's {@code last_seq} becomes its held seq), then the pts; (2) the feed
 *       loop: {@code get_difference} from the stored pts until {@code more} is false, storing the
 *       answer's pts (which may skip numbers: updates that no longer exist are left out; {@code
 *       too_long} clears the store and rebuilds); (3) the group loop: {@code sync_groups} for every
 *       group the store follows, until no group is behind ({@link GroupSync}); (4) ack the pts, and
 *       the messenger resends its outbox. The feed loop comes first so that the group loop lists
 *       every group joined up to the feed's position; a group joined later is announced in the
 *       feed, live or at the next catch-up. The number of requests depends on how much happened,
 *       not on how many conversations there are (except the conversation pages of a rebuild).
 *   <li><b>Live feed updates</b> (pts &gt; 0) are applied strictly in pts order: pts == local + 1
 *       is applied; pts &lt;= local is a duplicate and ignored; a higher pts is buffered, since
 *       live updates of concurrent transactions may arrive slightly out of order. If the gap is
 *       still open after the gap wait, {@code get_difference} closes it.
 *   <li><b>Group entries</b> — live without pts, in {@code sync_groups} answers, and the membership
 *       entries that are in the feed too — are applied per group strictly in seq order by {@link
 *       GroupSync}'s rule; a group's gap that outlasts the gap wait is repaired with {@code
 *       sync_groups} for that group (at once for a group never synced).
 *   <li>Until a catch-up has completed, live updates of both kinds are only kept.
 *   <li><b>Failures</b>: a request of the sync that gets no answer leaves the positions where they
 *       were and what was being applied kept; the engine is unsynced until a catch-up succeeds,
 *       which the next READY starts, or a retry with back-off while the connection stays READY.
 *   <li><b>Ack</b>: {@link FeedAcks}.
 * </ul>
 *
 * <p>Invariants: the store's pts only grows, and it is saved after the updates it covers; a group's
 * held seq only grows (but for a rebuild), and it is saved with or after the entries it covers. So
 * every update and entry up to them has been applied exactly once in this process (the applier
 * deduplicates entries by (conversation, seq), so a store that lost its last writes converges too).
 */
final class SyncEngine {
  private static final Logger log = LoggerFactory.getLogger(SyncEngine.class);

  private final Connection connection;
  private final SyncStore store;
  private final SyncListeners listeners;
  private final MessengerSettings settings;
  private final ScheduledExecutorService timer;
  private final Executor executor;
  private final Runnable progress;
  private final Runnable caughtUp;
  private final SyncCounters counters = new SyncCounters();
  private final UpdateApplier applier;
  private final GroupSync groups;
  private final FeedAcks acks;
  private final Backoff retryBackoff;

  // Executor only.
  private final TreeMap<Long, Update> buffered = new TreeMap<>();
  private final Map<Long, ScheduledFuture<?>> groupGapTimers = new HashMap<>();
  private @Nullable ScheduledFuture<?> gapTimer;
  private @Nullable ScheduledFuture<?> retryTimer;
  private boolean closed;

  // Written on the executor, read anywhere.
  private volatile boolean synced;
  private volatile long catchUps;
  private volatile SyncStats lastCatchUp = SyncStats.NONE;

  /** The global notification settings kept in the store from the feed. */
  NotifySettingsView notifySettings() {
    return applier.notifySettings;
  }

  /** {@code caughtUp} runs on the executor after each catch-up that succeeded. */
  SyncEngine(
      Connection connection,
      SyncStore store,
      SyncListeners listeners,
      MessengerSettings settings,
      Executor executor,
      Runnable progress,
      Runnable caughtUp) {
    this.connection = connection;
    this.store = store;
    this.listeners = listeners;
    this.settings = settings;
    this.timer = connection.resources().timer();
    this.executor = executor;
    this.progress = progress;
    this.caughtUp = caughtUp;
    this.applier =
        new UpdateApplier(
            store,
            listeners,
            request -> counters.await(connection.getHistory(request), t -> t.getHistory++),
            settings.historyPageSize());
    this.groups =
        new GroupSync(
            connection,
            store,
            applier,
            counters,
            settings.syncGroupsLimit(),
            settings.groupsPerRequest());
    this.acks = new FeedAcks(connection, store, settings.ackInterval(), executor);
    this.retryBackoff =
        new Backoff(
            settings.retryBackoffBase(),
            settings.retryBackoffMax(),
            Duration.ZERO,
            new SplittableRandom(),
            System::nanoTime);
  }

  // --- inputs (any thread; each becomes a task) ---

  void stateChanged(State state) {
    executor.execute(
        () -> {
          if (state == State.READY) {
            catchUp();
          } else {
            synced = false;
            cancelGapTimers();
            if (state.isFinal()) {
              stop();
            }
            progress.run();
          }
        });
  }

  void event(Event event) {
    if (event.hasUpdate()) {
      executor.execute(() -> live(event.getUpdate()));
    }
  }

  void close() {
    executor.execute(this::stop);
  }

  boolean synced() {
    return synced;
  }

  long catchUps() {
    return catchUps;
  }

  SyncStats lastCatchUp() {
    return lastCatchUp;
  }

  SyncStats totals() {
    return counters.totals();
  }

  // --- catch-up ---

  private void catchUp() {
    cancel(retryTimer);
    retryTimer = null;
    if (closed) {
      return;
    }
    counters.beginRun();
    try {
      connection.session().ifPresent(session -> applier.self(session.getUserId()));
      if (store.pts().isEmpty()) {
        rebuild();
      }
      differenceLoop();
      groups.syncAll();
    } catch (RuntimeException e) {
      counters.abandonRun();
      failed("catch-up", e);
      progress.run();
      return;
    }
    finishCatchUp(); // before synced: whoever sees synced sees the stats too
    synced = true;
    retryBackoff.reset();
    applyWaiting(); // the live updates that arrived meanwhile
    acks.now();
    caughtUp.run();
    progress.run();
  }

  private void finishCatchUp() {
    SyncStats stats = counters.endRun();
    lastCatchUp = stats;
    catchUps++;
    log.debug(
        "{}: caught up to pts {} with {} requests",
        connection.name(),
        store.pts(),
        stats.requests());
    listeners.synced.emit(stats);
  }

  /** The new-device path: baselines from the server, then the pts taken before them. */
  private void rebuild() {
    GetStateResponse state = counters.await(connection.getState(), t -> t.getState++);
    store.clear();
    String cursor = "";
    do {
      GetConversationsResponse page =
          counters.await(
              connection.getConversations(settings.conversationPageSize(), cursor),
              t -> t.getConversations++);
      for (Conversation conversation : page.getConversationsList()) {
        applier.baseline(conversation);
      }
      cursor = page.getNextCursor();
    } while (!cursor.isEmpty());
    store.savePts(state.getPts());
    counters.count(t -> t.rebuilt = true);
    log.debug("{}: rebuilt from the server at pts {}", connection.name(), state.getPts());
  }

  /** get_difference until nothing more; returns whether it had to rebuild (too_long). */
  private boolean differenceLoop() {
    boolean rebuilt = false;
    while (true) {
      long from = store.pts().orElseThrow();
      GetDifferenceResponse difference =
          counters.await(
              connection.getDifference(from, settings.differenceLimit()), t -> t.getDifference++);
      if (difference.getTooLong()) {
        if (rebuilt) {
          throw new IllegalStateException("get_difference answered too_long right after a rebuild");
        }
        log.debug("{}: pts {} is too old for the server, rebuilding", connection.name(), from);
        rebuild();
        rebuilt = true;
        continue;
      }
      for (Update update : difference.getUpdatesList()) {
        if (update.getPts() > store.pts().orElseThrow()) {
          applyFeed(update);
          store.savePts(update.getPts());
        }
      }
      if (difference.getPts() > store.pts().orElseThrow()) {
        store.savePts(difference.getPts());
      }
      if (!difference.getMore()) {
        return rebuilt;
      }
    }
  }

  /**
   * Applies a feed update. A group entry goes by its group's seq (it is in the group's log too, and
   * may arrive both ways); if it does not continue the group yet, it is kept and the group loop
   * (catch-up) or a group gap repair (live) fetches what comes before it.
   */
  private void applyFeed(Update update) {
    if (update.hasMessage() && groups.isGroupEntry(update.getMessage())) {
      groups.offer(update.getMessage());
    } else {
      applier.apply(update);
      counters.count(t -> t.updates++);
    }
  }

  // --- live updates ---

  private void live(Update update) {
    if (closed) {
      return;
    }
    if (update.getPts() == 0) {
      liveGroupEntry(update);
      return;
    }
    OptionalLong local = store.pts();
    if (local.isPresent() && update.getPts() <= local.getAsLong()) {
      counters.count(t -> t.duplicates++);
      return;
    }
    if (buffered.putIfAbsent(update.getPts(), update) != null) {
      counters.count(t -> t.duplicates++);
      return;
    }
    if (synced) {
      applyWaiting();
    }
  }

  /** An entry of a group's log, not in the user's feed (no pts). */
  private void liveGroupEntry(Update update) {
    if (!update.hasMessage()) {
      log.debug("{}: ignoring a live {} without pts", connection.name(), update.getKindCase());
      return;
    }
    if (!synced) {
      groups.hold(update.getMessage());
      return;
    }
    try {
      groups.offer(update.getMessage()); // if this throws, the entry stays kept
      watchGaps();
    } catch (RuntimeException e) {
      failed("applying a live group entry", e);
    } finally {
      progress.run();
    }
  }

  /**
   * Applies what waits and now continues: buffered feed updates in pts order, kept group entries in
   * seq order; arms the gap timers for what remains.
   */
  private void applyWaiting() {
    try {
      long local = store.pts().orElseThrow();
      while (!buffered.isEmpty()) {
        Map.Entry<Long, Update> first = buffered.firstEntry();
        if (first.getKey() <= local) {
          buffered.pollFirstEntry();
          counters.count(t -> t.duplicates++);
          continue;
        }
        if (first.getKey() != local + 1) {
          break;
        }
        applyFeed(first.getValue()); // if this throws, the update stays buffered
        buffered.pollFirstEntry();
        store.savePts(local = first.getKey());
      }
      groups.drainAll();
      watchGaps();
      acks.soon();
    } catch (RuntimeException e) {
      failed("applying live updates", e);
    } finally {
      progress.run();
    }
  }

  // --- gaps ---

  /**
   * One timer for a gap in the live pts, one per group with kept entries; cancels those that
   * closed.
   */
  private void watchGaps() {
    if (buffered.isEmpty()) {
      cancel(gapTimer);
      gapTimer = null;
    } else if (gapTimer == null) {
      gapTimer = schedule(this::feedGapExpired, settings.gapWait());
    }
    Set<Long> waiting = groups.waiting();
    groupGapTimers
        .entrySet()
        .removeIf(
            timer -> {
              boolean closedGap = !waiting.contains(timer.getKey());
              if (closedGap) {
                timer.getValue().cancel(false);
              }
              return closedGap;
            });
    for (long id : waiting) {
      groupGapTimers.computeIfAbsent(
          id,
          group ->
              schedule(
                  () -> groupGapExpired(group),
                  groups.firstSeen(group) ? Duration.ZERO : settings.gapWait()));
    }
  }

  private void feedGapExpired() {
    gapTimer = null;
    if (closed || !synced || buffered.isEmpty()) {
      return;
    }
    log.debug(
        "{}: live updates from pts {} still missing after {}, asking for the difference",
        connection.name(),
        store.pts().orElseThrow() + 1,
        settings.gapWait());
    repair(
        "closing a gap in the feed",
        () -> {
          if (differenceLoop()) {
            groups.syncAll(); // the baselines of the rebuild are older than what arrived live
            finishCatchUp(); // rebuilt: reported like a catch-up, so that the application reloads
          }
        });
  }

  private void groupGapExpired(long conversationId) {
    groupGapTimers.remove(conversationId);
    if (closed || !synced || !groups.waiting().contains(conversationId)) {
      return;
    }
    log.debug(
        "{}: group {} has a gap after {}, asking sync_groups",
        connection.name(),
        conversationId,
        store.lastSeq(conversationId));
    repair("closing a gap in group " + conversationId, () -> groups.sync(List.of(conversationId)));
  }

  /** Runs a gap repair, counted as a gap; a failure leaves the engine unsynced, to be retried. */
  private void repair(String what, Runnable work) {
    counters.count(t -> t.gaps++);
    counters.beginRun();
    try {
      work.run();
    } catch (RuntimeException e) {
      failed(what, e);
      progress.run();
      return;
    } finally {
      counters.endRun(); // a repair is not a catch-up: only the totals count it
    }
    applyWaiting();
    acks.now();
  }

  // --- failures ---

  private void failed(String what, RuntimeException e) {
    synced = false;
    cancelGapTimers();
    if (closed || connection.state().isFinal()) {
      return;
    }
    Duration delay = retryBackoff.nextDelay();
    log.debug(
        "{}: {} failed ({}); next catch-up on READY or in {}",
        connection.name(),
        what,
        e.toString(),
        delay);
    cancel(retryTimer);
    retryTimer =
        schedule(
            () -> {
              // A connection that is not READY starts a catch-up when it is again.
              if (!synced && connection.state() == State.READY) {
                catchUp();
              }
            },
            delay);
  }

  // --- helpers ---

  private ScheduledFuture<?> schedule(Runnable task, Duration delay) {
    return timer.schedule(() -> executor.execute(task), delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void cancelGapTimers() {
    cancel(gapTimer);
    gapTimer = null;
    groupGapTimers.values().forEach(SyncEngine::cancel);
    groupGapTimers.clear();
  }

  private void stop() {
    closed = true;
    synced = false;
    cancelGapTimers();
    cancel(retryTimer);
    acks.stop();
    progress.run();
  }

  private static void cancel(@Nullable ScheduledFuture<?> future) {
    if (future != null) {
      future.cancel(false);
    }
  }
}
