package dev.parley.client;

import dev.parley.proto.client.AuthenticateResponse;
import dev.parley.proto.client.Event;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.Response;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A logged-in WebSocket session that outlives network failures: it authenticates with the
 * credentials in its {@link TokenStore}, correlates requests with responses, delivers server events
 * in order, and reconnects until the session ends. The typed operations are in {@link Operations},
 * which this extends.
 *
 * <h2>Life cycle</h2>
 *
 * {@code CONNECTING} (opening a WebSocket) → {@code AUTHENTICATING} (the {@code authenticate}
 * request is out, or tokens are being refreshed) → {@code READY}. When a socket is lost: {@code
 * RECONNECTING} (waiting out the back-off) → {@code CONNECTING} → ... {@code LOGGED_OUT} (the
 * session is gone: a successful {@code logout}, close 4002 from the server, a rejected refresh
 * token) and {@code CLOSED} ({@link #close()}) are final; the token store is cleared on {@code
 * LOGGED_OUT}.
 *
 * <h2>Reconnect and tokens</h2>
 *
 * Every other lost socket (close codes 1000, 1001, 4001, 4003, 4004, 1009, a failed handshake, an
 * unanswered ping) leads to a new attempt after an exponential back-off with full jitter; the
 * back-off restarts once a connection has stayed up (see {@link
 * ParleyClient.Builder#reconnectBackoff}). A {@code go_away} event instead reconnects after exactly
 * the delay the server asked for, letting requests already sent on the old socket finish there. An
 * access token known to be expired is refreshed before connecting; {@code UNAUTHENTICATED} on
 * {@code authenticate} (or close 4001 during it) refreshes once and retries; a second {@code
 * UNAUTHENTICATED} after a refresh, or a refresh answered with {@code INVALID_REFRESH_TOKEN},
 * {@code REFRESH_TOKEN_REUSED} or any other 401, ends the session. Refreshed credentials are saved
 * to the token store at once. A refresh whose answer is lost leaves a spent refresh token behind:
 * the protocol cannot tell that from theft, so the next refresh ends the session.
 *
 * <h2>Requests</h2>
 *
 * A request issued while the connection is not {@code READY} waits for {@code READY} within its
 * timeout (the same budget covers waiting and answering) and fails at once in a final state. A
 * request is sent at most once: if its socket drops before the answer, it fails with {@link
 * ConnectionException}, because the server may have executed it.
 *
 * <h2>Threads</h2>
 *
 * Each connection handles its state changes, frames and timers on its own control executor, one
 * task at a time, never on the caller's thread. Listeners run one at a time, in arrival order, on
 * the connection's callback executor (virtual threads), never on network threads: a listener may
 * block, even on a request of this connection, without stalling the network, but it delays the
 * listeners after it. Request futures complete on the client's shared executor, so their order
 * relative to events is not defined.
 */
public final class Connection extends Operations implements AutoCloseable {
  /** Where a connection is in its life cycle; see the class comment. */
  public enum State {
    CONNECTING,
    AUTHENTICATING,
    READY,
    RECONNECTING,
    LOGGED_OUT,
    CLOSED;

    /** LOGGED_OUT and CLOSED: nothing follows. */
    public boolean isFinal() {
      return this == LOGGED_OUT || this == CLOSED;
    }
  }

  /** Removes a listener. */
  public interface Subscription extends AutoCloseable {
    @Override
    void close();
  }

  private static final Logger log = LoggerFactory.getLogger(Connection.class);

  private final String name;
  private final ClientSettings settings;
  private final TokenStore tokens;
  private final ClientResources resources;
  private final ScheduledExecutorService timer;
  private final StateWatch states = new StateWatch();
  private final Listeners<Event> events;
  private final Listeners<State> stateChanges;
  private final Listeners<Response> strays;
  private final ConnectionDriver driver;
  private final AtomicBoolean started = new AtomicBoolean();

  Connection(String name, ClientSettings settings, ClientResources resources, TokenStore tokens) {
    this.name = name;
    this.settings = settings;
    this.tokens = tokens;
    this.resources = resources;
    this.timer = resources.timer();
    Executor callbacks = new SerialExecutor(name + "-callbacks", resources.workers());
    this.events = new Listeners<>(name, callbacks);
    this.stateChanges = new Listeners<>(name, callbacks);
    this.strays = new Listeners<>(name, callbacks);
    this.driver =
        new ConnectionDriver(
            name, settings, resources, tokens, states, stateChanges, events, strays);
  }

  /** Starts connecting; returns this. Register listeners first to see everything. Idempotent. */
  public Connection start() {
    if (started.compareAndSet(false, true)) {
      driver.start();
    }
    return this;
  }

  public State state() {
    return states.get();
  }

  /** The server's answer to the last successful {@code authenticate}: user, session, heartbeat. */
  public Optional<AuthenticateResponse> session() {
    return Optional.ofNullable(driver.session());
  }

  /** How the last WebSocket ended (as the server closed it, or why this client dropped it). */
  public Optional<CloseStatus> lastClose() {
    return Optional.ofNullable(driver.lastClose());
  }

  /**
   * Why the connection reached a final state: the {@link ClientException} of a rejected refresh or
   * authenticate, a {@link ConnectionException} for a close by the server; empty after {@link
   * #close()} or {@link #logout()}.
   */
  public Optional<Throwable> terminationCause() {
    return Optional.ofNullable(driver.terminationCause());
  }

  public TokenStore tokenStore() {
    return tokens;
  }

  /**
   * Calls {@code listener} with every event, in arrival order (see "Threads" in the class comment).
   */
  public Subscription onEvent(Consumer<? super Event> listener) {
    return events.add(listener);
  }

  /** Calls {@code listener} with every state the connection enters after CONNECTING, in order. */
  public Subscription onStateChange(Consumer<? super State> listener) {
    return stateChanges.add(listener);
  }

  /**
   * Calls {@code listener} with responses that match no waiting request: answers to raw frames,
   * answers that arrive after their request timed out.
   */
  public Subscription onStrayResponse(Consumer<? super Response> listener) {
    return strays.add(listener);
  }

  /**
   * Completes when the connection enters {@code target} (at once if it is there), or fails with a
   * {@link ConnectionException} when it reaches a different final state.
   */
  public CompletableFuture<Void> whenState(State target) {
    return states.when(target);
  }

  /**
   * Blocks until the connection is in {@code target}; throws {@link IllegalStateException}, saying
   * where the connection is and how its last socket ended, if that does not happen within {@code
   * timeout}.
   */
  public void awaitState(State target, Duration timeout) {
    CompletableFuture<Void> waiter = states.when(target);
    try {
      waiter.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      states.stopWaiting(target, waiter);
      throw new IllegalStateException(
          name + " did not reach " + target + " within " + timeout + ": " + driver.describe(),
          Futures.unwrap(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + target, e);
    }
  }

  /** Sends a request with the default timeout; see {@link #send(Request.Builder, Duration)}. */
  @Override
  public CompletableFuture<Response> send(Request.Builder request) {
    return send(request, settings.requestTimeout());
  }

  /**
   * Sends a request (a copy, with a request id of this connection's choosing) once the connection
   * is READY, and completes with the server's response as it is, {@code error} included. Fails with
   * {@link RequestTimeoutException} when no READY connection or no answer came within {@code
   * timeout}, with {@link ConnectionException} when the socket dropped first or the connection is
   * in a final state.
   */
  public CompletableFuture<Response> send(Request.Builder request, Duration timeout) {
    return dispatch(request.clone(), System.nanoTime() + timeout.toNanos(), timeout);
  }

  /** Sends a text frame as is on the current socket, whatever its state: for bad-input tests. */
  public CompletableFuture<Void> sendRawText(String frame) {
    Socket socket = driver.currentSocket();
    return socket == null ? CompletableFuture.failedFuture(noSocket()) : socket.sendText(frame);
  }

  /** Sends a binary frame as is on the current socket, whatever its state: for bad-input tests. */
  public CompletableFuture<Void> sendRawBinary(byte[] frame) {
    Socket socket = driver.currentSocket();
    return socket == null ? CompletableFuture.failedFuture(noSocket()) : socket.sendBinary(frame);
  }

  /**
   * Drops the current socket without a close handshake, as a network failure would, and reconnects
   * through the usual back-off; in RECONNECTING, connects at once. For tests of resynchronisation.
   */
  public void reconnect() {
    driver.reconnect();
  }

  /**
   * Ends the connection: closes the socket (code 1000), fails waiting requests, stops reconnecting.
   * The session stays valid and its credentials stay in the token store. Waits briefly for the
   * state to be final; a no-op once LOGGED_OUT.
   */
  @Override
  public void close() {
    started.set(true);
    try {
      driver.close().get(settings.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("{}: close did not finish within {}", name, settings.requestTimeout());
    }
  }

  /** The connection's name, as in its log lines and thread names. */
  String name() {
    return name;
  }

  ClientSettings settings() {
    return settings;
  }

  /**
   * The timer and workers of the client this connection belongs to, for helpers that attach to it.
   */
  ClientResources resources() {
    return resources;
  }

  @Override
  public String toString() {
    return name + "[" + driver.describe() + "]";
  }

  private CompletableFuture<Response> dispatch(
      Request.Builder request, long deadline, Duration timeout) {
    return withinDeadline(states.readySocket(), deadline, request, timeout)
        .thenCompose(
            socket -> {
              long remaining = Math.max(deadline - System.nanoTime(), 1);
              CompletableFuture<Response> answer =
                  socket.request(request, Duration.ofNanos(remaining));
              if (answer != null) {
                return answer;
              }
              states.socketEnded(socket);
              return dispatch(request, deadline, timeout);
            });
  }

  private CompletableFuture<Socket> withinDeadline(
      CompletableFuture<Socket> readySocket,
      long deadline,
      Request.Builder request,
      Duration timeout) {
    if (readySocket.isDone()) {
      return readySocket;
    }
    CompletableFuture<Socket> bounded = readySocket.copy();
    ScheduledFuture<?> expiry =
        timer.schedule(
            () ->
                bounded.completeExceptionally(
                    new RequestTimeoutException(
                        Socket.opName(request)
                            + " not sent: no READY connection within "
                            + timeout
                            + " ("
                            + driver.describe()
                            + ")")),
            deadline - System.nanoTime(),
            TimeUnit.NANOSECONDS);
    bounded.whenComplete((socket, error) -> expiry.cancel(false));
    return bounded;
  }

  private ConnectionException noSocket() {
    return new ConnectionException(name + " has no open WebSocket (" + driver.describe() + ")");
  }
}
