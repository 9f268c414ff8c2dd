package dev.parley.client;

import dev.parley.client.Connection.State;
import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.Event;
import dev.parley.proto.client.GetConversationsResponse;
import dev.parley.proto.client.GetDifferenceResponse;
import dev.parley.proto.client.GetHistoryRequest;
import dev.parley.proto.client.GetHistoryResponse;
import dev.parley.proto.client.GetStateResponse;
import dev.parley.proto.client.Update;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link SyncStore} in step with the user's update feed (sync.proto, design.md 8.5 and 8.6).
 *
 * <h2>Design</h2>
 *
 * Everything runs on one serial executor, one task at a time: connection state changes, live updates,
 * timer expiries. Requests made while synchronizing are awaited on that executor's (virtual) thread, so
 * the algorithm reads top to bottom and the fields need no locks; live updates that arrive meanwhile
 * queue behind the running task and are judged by the pts it left behind.
 *
 * <ul>
 *   <li><b>Catch-up</b>, on every READY: without a stored pts (a new device) rebuild — {@code get_state}
 *       (remember its pts), {@code get_conversations} page by page as the baselines, then the pts; then
 *       {@code get_difference} from the stored pts until {@code more} is false, storing the answer's pts
 *       (which may skip numbers: updates that no longer exist are left out). {@code too_long} clears the
 *       store and rebuilds. The number of requests depends on how much happened, not on how many
 *       conversations there are (except the conversation pages of a rebuild).
 *   <li><b>Live updates</b> are applied strictly in pts order: pts == local + 1 is applied; pts &lt;=
 *       local is a duplicate and ignored; a higher pts is buffered, since live updates of concurrent
 *       transactions may arrive slightly out of order. If the gap is still open after the gap wait,
 *       {@code get_difference} closes it. Until a catch-up has completed, live updates are only buffered.
 *   <li><b>Failures</b>: a request of the sync that gets no answer leaves pts where it was and the update
 *       being applied in the buffer; the engine is unsynced until a catch-up succeeds, which the next
 *       READY starts, or a retry with back-off while the connection stays READY.
 *   <li><b>Ack</b>: the applied pts is acknowledged at most once per ack interval while live updates
 *       flow, and at once after each difference loop; an ack never goes backwards and failed acks are
 *       simply superseded by the next one.
 * </ul>
 *
 * <p>Invariant: the store's pts only grows, and it is saved after the updates it covers, so every update
 * up to it has been applied exactly once in this process (the applier deduplicates entries by
 * (conversation, seq), so a store that lost its last writes converges too).
 */
final class SyncEngine {
  private static final Logger log = LoggerFactory.getLogger(SyncEngine.class);

  private final Connection connection;
  private final SyncStore store;
  private final SyncListeners listeners;
  private final Messenger.Settings settings;
  private final ScheduledExecutorService timer;
  private final Executor executor;
  private final Runnable progress;
  private final UpdateApplier applier;
  private final Backoff retryBackoff;

  // Executor only.
  private final TreeMap<Long, Update> buffered = new TreeMap<>();
  private ScheduledFuture<?> gapTimer;
  private ScheduledFuture<?> retryTimer;
  private ScheduledFuture<?> ackTimer;
  private boolean ackInFlight;
  private boolean ackWanted; // ackNow() found an ack in flight: ack again when it completes, even if it failed
  private long ackedPts;
  private long lastAckNanos = System.nanoTime() - Duration.ofDays(1).toNanos();
  private Tally current; // counts the requests of the running catch-up or gap repair
  private final Tally totals = new Tally();
  private boolean closed;

  // Written on the executor, read anywhere.
  private volatile boolean synced;
  private volatile long catchUps;
  private volatile SyncStats lastCatchUp = SyncStats.NONE;
  private volatile SyncStats totalStats = SyncStats.NONE;

  SyncEngine(Connection connection, SyncStore store, SyncListeners listeners, Messenger.Settings settings,
      Executor executor, Runnable progress) {
    this.connection = connection;
    this.store = store;
    this.listeners = listeners;
    this.settings = settings;
    this.timer = connection.resources().timer();
    this.executor = executor;
    this.progress = progress;
    this.applier = new UpdateApplier(store, listeners, this::fetchHistory, settings.historyPageSize());
    this.retryBackoff = new Backoff(settings.retryBackoffBase(), settings.retryBackoffMax(), Duration.ZERO,
        new SplittableRandom(), System::nanoTime);
  }

  // --- inputs (any thread; each becomes a task) ---

  void stateChanged(State state) {
    executor.execute(() -> {
      if (state == State.READY) {
        catchUp();
      } else {
        synced = false;
        cancelGapTimer();
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
    return totalStats;
  }

  // --- catch-up ---

  private void catchUp() {
    cancel(retryTimer);
    retryTimer = null;
    if (closed) {
      return;
    }
    current = new Tally();
    try {
      connection.session().ifPresent(session -> applier.self(session.getUserId()));
      if (store.pts().isEmpty()) {
        rebuild();
      }
      differenceLoop();
    } catch (RuntimeException e) {
      current = null;
      failed("catch-up", e);
      progress.run();
      return;
    }
    finishCatchUp(); // before synced: whoever sees synced sees the stats too
    synced = true;
    retryBackoff.reset();
    drainBuffer(); // the live updates that arrived meanwhile
    ackNow();
    progress.run();
  }

  private void finishCatchUp() {
    SyncStats stats = current.stats();
    current = null;
    lastCatchUp = stats;
    catchUps++;
    log.debug("{}: caught up to pts {} with {} requests", connection.name(), store.pts(), stats.requests());
    listeners.synced.emit(stats);
  }

  /** The new-device path: baselines from the server, then the pts taken before them. */
  private void rebuild() {
    GetStateResponse state = fetch(connection.getState(), t -> t.getState++);
    store.clear();
    String cursor = "";
    do {
      GetConversationsResponse page =
          fetch(connection.getConversations(settings.conversationPageSize(), cursor), t -> t.getConversations++);
      for (Conversation conversation : page.getConversationsList()) {
        applier.baseline(conversation);
      }
      cursor = page.getNextCursor();
    } while (!cursor.isEmpty());
    store.savePts(state.getPts());
    count(t -> t.rebuilt = true);
    log.debug("{}: rebuilt from the server at pts {}", connection.name(), state.getPts());
  }

  /** get_difference until nothing more; returns whether it had to rebuild (too_long). */
  private boolean differenceLoop() {
    boolean rebuilt = false;
    while (true) {
      long from = store.pts().orElseThrow();
      GetDifferenceResponse difference =
          fetch(connection.getDifference(from, settings.differenceLimit()), t -> t.getDifference++);
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
          applier.apply(update);
          store.savePts(update.getPts());
          count(t -> t.updates++);
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

  // --- live updates ---

  private void live(Update update) {
    if (closed) {
      return;
    }
    OptionalLong local = store.pts();
    if (local.isPresent() && update.getPts() <= local.getAsLong()) {
      count(t -> t.duplicates++);
      return;
    }
    if (buffered.putIfAbsent(update.getPts(), update) != null) {
      count(t -> t.duplicates++);
      return;
    }
    if (synced) {
      drainBuffer();
    }
  }

  /** Applies buffered updates while they continue the local pts; arms the gap timer if a gap remains. */
  private void drainBuffer() {
    try {
      long local = store.pts().orElseThrow();
      while (!buffered.isEmpty()) {
        Map.Entry<Long, Update> first = buffered.firstEntry();
        if (first.getKey() <= local) {
          buffered.pollFirstEntry();
          count(t -> t.duplicates++);
          continue;
        }
        if (first.getKey() != local + 1) {
          break;
        }
        applier.apply(first.getValue()); // if this throws, the update stays buffered
        buffered.pollFirstEntry();
        store.savePts(local = first.getKey());
        count(t -> t.updates++);
      }
      if (buffered.isEmpty()) {
        cancelGapTimer();
      } else if (gapTimer == null) {
        gapTimer = schedule(this::gapExpired, settings.gapWait());
      }
      ackSoon();
    } catch (RuntimeException e) {
      failed("applying live updates", e);
    } finally {
      progress.run();
    }
  }

  private void gapExpired() {
    gapTimer = null;
    if (closed || !synced || buffered.isEmpty()) {
      return;
    }
    log.debug("{}: live updates from pts {} still missing after {}, asking for the difference",
        connection.name(), store.pts().orElseThrow() + 1, settings.gapWait());
    count(t -> t.gaps++);
    current = new Tally();
    try {
      if (differenceLoop()) {
        finishCatchUp(); // rebuilt: reported like a catch-up, so that the application reloads
      }
    } catch (RuntimeException e) {
      failed("closing a gap", e);
      progress.run();
      return;
    } finally {
      current = null;
    }
    drainBuffer();
    ackNow();
  }

  // --- failures ---

  private void failed(String what, RuntimeException e) {
    synced = false;
    cancelGapTimer();
    if (closed || connection.state().isFinal()) {
      return;
    }
    Duration delay = retryBackoff.nextDelay();
    log.debug("{}: {} failed ({}); next catch-up on READY or in {}", connection.name(), what, e.toString(), delay);
    cancel(retryTimer);
    retryTimer = schedule(() -> {
      // A connection that is not READY starts a catch-up when it is again.
      if (!synced && connection.state() == State.READY) {
        catchUp();
      }
    }, delay);
  }

  // --- ack ---

  /** Acks the applied pts, at most once per ack interval. */
  private void ackSoon() {
    long pts = store.pts().orElse(0);
    if (pts <= ackedPts || ackInFlight || ackTimer != null) {
      return;
    }
    long wait = lastAckNanos + settings.ackInterval().toNanos() - System.nanoTime();
    ackTimer = schedule(this::sendAck, Duration.ofNanos(Math.max(0, wait)));
  }

  /** Acks the applied pts now, or as soon as the ack in flight completes. */
  private void ackNow() {
    cancel(ackTimer);
    ackTimer = null;
    if (ackInFlight) {
      ackWanted = true;
    } else {
      sendAck();
    }
  }

  private void sendAck() {
    ackTimer = null;
    long pts = store.pts().orElse(0);
    if (closed || ackInFlight || pts <= ackedPts) {
      return;
    }
    ackInFlight = true;
    lastAckNanos = System.nanoTime();
    connection.ack(pts).whenCompleteAsync((response, error) -> {
      ackInFlight = false;
      boolean wanted = ackWanted;
      ackWanted = false;
      if (error == null) {
        ackedPts = Math.max(ackedPts, pts);
      } else {
        log.debug("{}: ack {} failed: {}", connection.name(), pts, Futures.unwrap(error).toString());
      }
      if (error == null || wanted) { // else the next applied update or catch-up acks again
        ackSoon();
      }
    }, executor);
  }

  // --- helpers ---

  private GetHistoryResponse fetchHistory(GetHistoryRequest request) {
    return fetch(connection.getHistory(request), t -> t.getHistory++);
  }

  /** Awaits a request of the sync, counting it for the running catch-up and the totals. */
  private <T> T fetch(CompletableFuture<T> request, Consumer<Tally> counter) {
    count(counter);
    return Futures.await(request);
  }

  private void count(Consumer<Tally> counter) {
    if (current != null) {
      counter.accept(current);
    }
    counter.accept(totals);
    totalStats = totals.stats();
  }

  private ScheduledFuture<?> schedule(Runnable task, Duration delay) {
    return timer.schedule(() -> executor.execute(task), delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void cancelGapTimer() {
    cancel(gapTimer);
    gapTimer = null;
  }

  private void stop() {
    closed = true;
    synced = false;
    cancelGapTimer();
    cancel(retryTimer);
    cancel(ackTimer);
    progress.run();
  }

  private static void cancel(ScheduledFuture<?> future) {
    if (future != null) {
      future.cancel(false);
    }
  }

  /** Counters of one catch-up, or of everything; executor only. */
  private static final class Tally {
    long getState;
    long getConversations;
    long getDifference;
    long getHistory;
    long updates;
    long duplicates;
    long gaps;
    boolean rebuilt;

    SyncStats stats() {
      return new SyncStats(getState, getConversations, getDifference, getHistory, updates, duplicates, gaps, rebuilt);
    }
  }
}
