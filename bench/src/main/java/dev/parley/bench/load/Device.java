package dev.parley.bench.load;

import dev.parley.bench.account.Account;
import dev.parley.bench.net.WsConnection;
import dev.parley.proto.client.AckRequest;
import dev.parley.proto.client.AuthenticateRequest;
import dev.parley.proto.client.Event;
import dev.parley.proto.client.GetDifferenceRequest;
import dev.parley.proto.client.GetDifferenceResponse;
import dev.parley.proto.client.GetStateRequest;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.Response;
import dev.parley.proto.client.Update;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One bench user's device: a connection that behaves like a real client (protocol sections 6 and
 * 9).
 *
 * <p>Concurrency: a device is pinned to one event loop for its whole life (its connections, across
 * reconnects, are opened on that loop), and all its state below is touched only there. The pacer
 * thread reads {@link #acceptingSends()} and hands sends over with {@link #schedule}.
 *
 * <p>Sync follows the two streams of design.md 8.3. The feed: after authenticating, a new device
 * takes its position from get_state; a reconnecting device runs the get_difference loop (pages of
 * 1000) from the last pts it applied. Live updates with a pts are applied strictly in pts order: an
 * early one waits in a buffer, and a gap still open after {@link #GAP_WAIT_MS} is repaired with
 * get_difference; a pts already applied is ignored. The groups: live updates without a pts are
 * group entries, applied per group in seq order by {@link GroupLogs} (with its own gap repair, by
 * sync_groups); so are the group entries the feed carries. A reconnecting device runs the
 * sync_groups loop for every group it follows after the get_difference loop, which may have told it
 * of new groups. The latency of a live message is taken when its frame arrived, even if it waited
 * in a buffer.
 *
 * <p>Sending is {@link Outgoing}'s.
 */
public final class Device {
  private static final int PAGE = 1000;

  /** How long a gap (feed or group) may stay open before it is repaired by sync. */
  static final long GAP_WAIT_MS = 500;

  private static final int MAX_RECONNECT_ATTEMPTS = 10;

  private enum State {
    OFFLINE,
    CONNECTING,
    ONLINE,
    CLOSING
  }

  private final Fleet fleet;
  private final Account account;
  private final int index;
  private final EventLoop loop;
  private final Receipts receipts;
  private final GroupLogs groups;
  private final TreeMap<Long, Arrival> early = new TreeMap<>();
  private final Outgoing outgoing;
  private final Extras extras;
  private volatile boolean acceptingSends;
  private volatile boolean stopped;
  private State state = State.OFFLINE;
  private @Nullable WsConnection conn;
  private boolean haveBase;
  private long appliedPts;
  private long ackedPts;
  private boolean syncing;
  private boolean gapCheckScheduled;
  private int nextCounter;
  private int reconnectAttempt;
  private int generation;
  private int connectedGeneration = -1;

  /** From a go_away event: wait this long before reconnecting (protocol 6.8). */
  private long goAwayDelayMs;

  private record Arrival(Update update, long nanos) {}

  Device(Fleet fleet, Account account, EventLoop loop) {
    this.fleet = fleet;
    this.account = account;
    this.index = account.index();
    this.loop = loop;
    this.receipts = new Receipts(fleet, index);
    this.groups = new GroupLogs(fleet, this, receipts);
    this.outgoing = new Outgoing(fleet, this);
    this.extras = new Extras(fleet, this);
  }

  public int index() {
    return index;
  }

  public Account account() {
    return account;
  }

  public EventLoop loop() {
    return loop;
  }

  /** Whether the pacer may give this device messages to send (online, not about to disconnect). */
  public boolean acceptingSends() {
    return acceptingSends;
  }

  /** Edits this device's last acknowledged message, if any (any thread; S5's mix). */
  public void editLastMessage() {
    loop.execute(extras::edit);
  }

  /** Sends "typing" in the conversation of its last acknowledged message, if any (any thread). */
  public void typeInLastConversation() {
    loop.execute(extras::typing);
  }

  /** Reacts to the last message this device received from someone else, if any (any thread). */
  public void reactToLastReceived() {
    loop.execute(extras::react);
  }

  Extras extras() {
    return extras;
  }

  /** Hands a message to this device (any thread): it gets the next counter and is sent at once. */
  public void schedule(Target target, long intendedNanos, PhaseStats phase) {
    phase.scheduled.increment();
    loop.execute(
        () -> {
          int counter = nextCounter++;
          SentMessage m =
              fleet
                  .ledger()
                  .open(
                      index,
                      counter,
                      intendedNanos,
                      target.recipients(),
                      phase,
                      target.conversationId(),
                      target.peer());
          outgoing.send(m);
        });
  }

  // ---- connecting and syncing ----

  /** Connects, authenticates and syncs; completes when the device is online. Any thread. */
  public CompletableFuture<CatchUp> connect() {
    CompletableFuture<CatchUp> done = new CompletableFuture<>();
    long t0 = System.nanoTime();
    loop.execute(
        () -> {
          state = State.CONNECTING;
          Listener listener = new Listener(++generation);
          fleet
              .sessions()
              .freshAsync(account, Duration.ofMinutes(2))
              .thenCompose(
                  v ->
                      WsConnection.open(
                          fleet.net(),
                          loop,
                          fleet.settings().server(),
                          fleet.settings().encoding(),
                          listener,
                          fleet.settings().maxInFlight(),
                          fleet.settings().requestTimeout()))
              .whenComplete(
                  (c, e) ->
                      loop.execute(
                          () -> {
                            if (e != null) {
                              state = State.OFFLINE;
                              fleet.counters().connectFailures.increment();
                              done.completeExceptionally(e);
                            } else {
                              authenticate(c, listener.generation, t0, System.nanoTime(), done);
                            }
                          }));
        });
    return done;
  }

  private void authenticate(
      WsConnection c, int gen, long t0, long opened, CompletableFuture<CatchUp> done) {
    conn = c;
    connectedGeneration = gen;
    c.request(
        Request.newBuilder()
            .setAuthenticate(
                AuthenticateRequest.newBuilder().setAccessToken(account.accessToken())),
        (r, failure, nanos) -> {
          if (r == null || !r.hasAuthenticate()) {
            c.close();
            state = State.OFFLINE;
            done.completeExceptionally(
                new IllegalStateException(
                    "authenticate failed for "
                        + account.email()
                        + ": "
                        + (r != null
                            ? r.getError().getReason() + " " + r.getError().getMessage()
                            : failure)));
            return;
          }
          long authed = nanos;
          Consumer<SyncTally> synced =
              tally -> {
                state = State.ONLINE;
                reconnectAttempt = 0;
                acceptingSends = !stopped;
                long now = System.nanoTime();
                PhaseStats.record(fleet.counters().connect, authed - t0);
                done.complete(
                    new CatchUp(
                        opened - t0,
                        authed - opened,
                        now - authed,
                        1 + tally.requests,
                        tally.differencePages,
                        tally.feedUpdates,
                        c.bytesIn(),
                        tally.groupRequests,
                        tally.groupEntries));
                if (stopped) {
                  // The run ended while this (re)connect was under way.
                  state = State.CLOSING;
                  c.close();
                  return;
                }
                outgoing.flush();
                scheduleAck(true);
              };
          if (!haveBase) {
            c.request(
                Request.newBuilder().setGetState(GetStateRequest.getDefaultInstance()),
                (s, f, n) -> {
                  if (s == null || !s.hasGetState()) {
                    c.close();
                    done.completeExceptionally(
                        new IllegalStateException("get_state failed: " + describe(s, f)));
                    return;
                  }
                  haveBase = true;
                  appliedPts = s.getGetState().getPts();
                  ackedPts = appliedPts;
                  applyEarly();
                  SyncTally tally = new SyncTally();
                  tally.requests = 1;
                  synced.accept(tally);
                });
          } else {
            SyncTally tally = new SyncTally();
            catchUp(
                tally,
                () -> synced.accept(tally),
                why ->
                    done.completeExceptionally(new IllegalStateException("sync failed: " + why)));
          }
        });
  }

  /**
   * Everything the device missed while away: the difference loop, then the sync_groups loop for
   * every group it follows, including those the difference just told it about (design.md 8.3, point
   * 3).
   */
  private void catchUp(SyncTally tally, Runnable done, Consumer<String> failed) {
    difference(tally, () -> groups.syncAll(connected(), tally, done, failed), failed);
  }

  /**
   * The difference loop: get_difference from the applied pts, pages of 1000, until {@code more} is
   * false. Counts into {@code tally} and calls {@code done}, or {@code failed} when the connection
   * closed meanwhile (the reconnect syncs again). An error answer is retried after a second.
   */
  private void difference(SyncTally tally, Runnable done, Consumer<String> failed) {
    syncing = true;
    long[] pageStart = new long[1];
    Runnable[] next = new Runnable[1];
    next[0] =
        () -> {
          pageStart[0] = System.nanoTime();
          tally.requests++;
          tally.differencePages++;
          fleet.counters().differenceRequests.increment();
          connected()
              .request(
                  Request.newBuilder()
                      .setGetDifference(
                          GetDifferenceRequest.newBuilder().setPts(appliedPts).setLimit(PAGE)),
                  (r, failure, nanos) -> {
                    PhaseStats.record(fleet.counters().differencePage, nanos - pageStart[0]);
                    if (r == null || !r.hasGetDifference()) {
                      syncing = false;
                      fleet.counters().differenceErrors.increment();
                      if (failure == null && state != State.OFFLINE) {
                        loop.schedule(() -> difference(tally, done, failed), 1, TimeUnit.SECONDS);
                      } else {
                        failed.accept(describe(r, failure));
                      }
                      return;
                    }
                    GetDifferenceResponse d = r.getGetDifference();
                    long arrival = System.nanoTime();
                    if (d.getTooLong()) fleet.counters().tooLong.increment();
                    for (Update u : d.getUpdatesList()) {
                      if (u.getPts() <= appliedPts) continue;
                      tally.feedUpdates++;
                      apply(u, arrival, true);
                    }
                    appliedPts = Math.max(appliedPts, d.getPts());
                    if (d.getMore() && !d.getTooLong()) {
                      next[0].run();
                    } else {
                      syncing = false;
                      applyEarly();
                      done.run();
                    }
                  });
        };
    next[0].run();
  }

  private void onUpdate(Update u, long nanos) {
    long pts = u.getPts();
    if (pts == 0) {
      // A group entry that is not in this user's feed: it follows its group's seq, not the pts.
      if (u.hasMessage()) {
        groups.live(u.getMessage(), nanos);
        extras.received(u.getMessage());
      }
      return;
    }
    if (haveBase && pts <= appliedPts) {
      fleet.counters().staleUpdates.increment();
      return;
    }
    if (!haveBase || syncing || pts != appliedPts + 1) {
      early.put(pts, new Arrival(u, nanos));
      if (haveBase && !syncing) scheduleGapCheck();
      return;
    }
    apply(u, nanos, false);
    appliedPts = pts;
    applyEarly();
  }

  /** Applies buffered updates that now follow the applied pts; drops those already applied. */
  private void applyEarly() {
    while (!early.isEmpty()) {
      long first = early.firstKey();
      if (first <= appliedPts) {
        early.pollFirstEntry();
      } else if (first == appliedPts + 1) {
        Arrival a = early.pollFirstEntry().getValue();
        apply(a.update(), a.nanos(), false);
        appliedPts = first;
      } else {
        scheduleGapCheck();
        return;
      }
    }
  }

  private void scheduleGapCheck() {
    if (gapCheckScheduled) return;
    gapCheckScheduled = true;
    loop.schedule(
        () -> {
          gapCheckScheduled = false;
          if (state == State.ONLINE
              && !syncing
              && !early.isEmpty()
              && early.firstKey() > appliedPts + 1) {
            fleet.counters().gapRepairs.increment();
            difference(new SyncTally(), () -> {}, why -> {});
          } else if (!early.isEmpty()) {
            applyEarly();
          }
        },
        GAP_WAIT_MS,
        TimeUnit.MILLISECONDS);
  }

  /**
   * Applies a feed update: one-to-one entries here, in pts order; group entries by their group's
   * seq.
   */
  private void apply(Update u, long nanos, boolean viaSync) {
    if (!u.hasMessage()) return;
    Message m = u.getMessage();
    if (groups.isGroupEntry(m)) groups.fromFeed(m, nanos, viaSync);
    else receipts.apply(m, nanos, viaSync);
    extras.received(m);
  }

  /**
   * Acknowledges the applied pts every ack interval while it moves (the server's delivery cursor).
   * The first ack comes at a random point of the interval: devices connect together, and acks in
   * lockstep would hit the server as one burst per interval, which real clients do not do.
   */
  private void scheduleAck(boolean first) {
    Duration every = fleet.settings().ackInterval();
    if (every.isZero()) return;
    long delay =
        first
            ? 1 + java.util.concurrent.ThreadLocalRandom.current().nextLong(every.toMillis())
            : every.toMillis();
    WsConnection c = conn;
    loop.schedule(
        () -> {
          if (c == null || conn != c || state != State.ONLINE) return;
          if (appliedPts > ackedPts) {
            ackedPts = appliedPts;
            c.request(
                Request.newBuilder().setAck(AckRequest.newBuilder().setPts(appliedPts)),
                (r, f, n) -> {});
          }
          scheduleAck(false);
        },
        delay,
        TimeUnit.MILLISECONDS);
  }

  /**
   * Sends any request on the current connection (setup calls such as create_group); completes with
   * the answer, exceptionally when it failed locally or the server answered with an error.
   */
  public CompletableFuture<Response> call(Request.Builder request) {
    CompletableFuture<Response> f = new CompletableFuture<>();
    loop.execute(
        () -> {
          if (conn == null || state != State.ONLINE) {
            f.completeExceptionally(new IllegalStateException(account.email() + " is not online"));
            return;
          }
          conn.request(
              request,
              (r, failure, nanos) -> {
                if (r != null && !r.hasError()) f.complete(r);
                else
                  f.completeExceptionally(
                      new IllegalStateException(
                          request.getOpCase() + " failed: " + describe(r, failure)));
              });
        });
    return f;
  }

  /** The connection to send on, or null while not online (event loop only). */
  @Nullable WsConnection online() {
    return state == State.ONLINE ? conn : null;
  }

  // ---- leaving ----

  /**
   * Stops taking sends, waits (up to ten seconds) until every outstanding request is answered, then
   * closes cleanly (1000). Completes when the connection is closed. With {@code stop} the device
   * does not take sends again after a later {@link #connect}.
   */
  public CompletableFuture<Void> disconnect(boolean stop) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (stop) stopped = true;
    acceptingSends = false;
    loop.execute(
        () -> {
          WsConnection closing = conn;
          if (closing == null || state == State.OFFLINE) {
            done.complete(null);
            return;
          }
          state = State.CLOSING;
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          Runnable[] check = new Runnable[1];
          check[0] =
              () -> {
                if (closing.outstanding() == 0 || System.nanoTime() - deadline > 0) {
                  closing.close().whenComplete((v, e) -> done.complete(null));
                } else {
                  loop.schedule(check[0], 20, TimeUnit.MILLISECONDS);
                }
              };
          check[0].run();
        });
    return done;
  }

  /**
   * Runs the difference loop and the sync_groups loop once more (if online) so that nothing still
   * in the feed or a group's log counts as lost. A device that gave up reconnecting during the run
   * (an overloaded server) connects once more first, which runs the same catch-up: what it missed
   * while away is not lost unless the server cannot give it back.
   */
  public CompletableFuture<Void> finalSync() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop.execute(
        () -> {
          if (state == State.OFFLINE && !stopped && reconnectAttempt >= MAX_RECONNECT_ATTEMPTS) {
            connect().whenComplete((c, e) -> done.complete(null));
          } else if (state != State.ONLINE) {
            done.complete(null);
          } else {
            catchUp(new SyncTally(), () -> done.complete(null), why -> done.complete(null));
          }
        });
    return done;
  }

  /** Requests awaiting answers plus unsent messages (read on the loop). */
  public CompletableFuture<Integer> outstanding() {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    loop.execute(() -> f.complete(outgoing.waiting() + (conn != null ? conn.outstanding() : 0)));
    return f;
  }

  private void onClosed(int code, String reason, boolean byUs) {
    state = State.OFFLINE;
    acceptingSends = false;
    if (byUs) return;
    fleet.counters().unexpectedClose(code, reason);
    if (code == 4002 || code == 1000 || stopped || !fleet.settings().reconnect()) return;
    reconnectLater();
  }

  /** Reconnects in the background, with back-off, after a connect that failed (any thread). */
  public void retryConnect() {
    loop.execute(this::reconnectLater);
  }

  /** Reconnects with exponential back-off and jitter (protocol 6.8), up to ten attempts. */
  private void reconnectLater() {
    int attempt = reconnectAttempt++;
    if (attempt >= MAX_RECONNECT_ATTEMPTS) {
      fleet.counters().reconnectFailures.increment();
      return;
    }
    long maxDelayMs = Math.min(5000, 100L << Math.min(attempt, 6));
    long delay =
        goAwayDelayMs + ThreadLocalRandom.current().nextLong(maxDelayMs / 2, maxDelayMs + 1);
    goAwayDelayMs = 0;
    loop.schedule(
        () ->
            connect()
                .whenComplete(
                    (c, e) -> {
                      if (e != null) {
                        loop.execute(this::reconnectLater);
                      } else {
                        fleet.counters().reconnects.increment();
                        PhaseStats.record(fleet.counters().catchUp, c.totalNanos());
                      }
                    }),
        delay,
        TimeUnit.MILLISECONDS);
  }

  /**
   * The connection, where the sync loops use it: they run on the device's event loop between
   * connect and close, and a loop that outlives its connection is stopped by the close first.
   */
  private WsConnection connected() {
    return java.util.Objects.requireNonNull(conn, "the device is not connected");
  }

  static String describe(@Nullable Response r, @Nullable String failure) {
    if (r == null) return failure == null ? "no answer" : failure;
    return r.hasError()
        ? r.getError().getReason() + " " + r.getError().getMessage()
        : r.getResultCase().name();
  }

  /** The listener of one connection; ignores everything once a newer connection exists. */
  private final class Listener implements WsConnection.Listener {
    final int generation;

    Listener(int generation) {
      this.generation = generation;
    }

    private boolean current() {
      return generation == Device.this.generation && generation == connectedGeneration;
    }

    @Override
    public void onEvent(Event event, long arrivalNanos) {
      if (!current()) return;
      switch (event.getKindCase()) {
        case UPDATE -> onUpdate(event.getUpdate(), arrivalNanos);
        case SESSION_REVOKED -> {
          if (event.getSessionRevoked().getSessionId() == account.sessionId()) {
            fleet.counters().sessionRevoked.increment();
          }
        }
        case TYPING -> fleet.extras().typingReceived.increment();
        case GO_AWAY -> {
          fleet.counters().goAway.increment();
          goAwayDelayMs = event.getGoAway().getReconnectAfterMs();
        }
        default -> {}
      }
    }

    @Override
    public void onClosed(int code, String reason, boolean closedByUs) {
      if (current()) Device.this.onClosed(code, reason, closedByUs);
    }
  }
}
