package dev.parley.client;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.client.Connection.State;
import dev.parley.proto.client.AuthenticateRequest;
import dev.parley.proto.client.AuthenticateResponse;
import dev.parley.proto.client.Event;
import dev.parley.proto.client.PingRequest;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.Response;
import dev.parley.proto.client.ServerFrame;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine behind a {@link Connection}: opens sockets, authenticates, refreshes tokens,
 * pings, reconnects, and ends the session. The policy is described on {@link Connection}.
 *
 * <p>Everything here runs on one control executor, one task at a time: socket callbacks, timer
 * expiries, HTTP completions and commands from the application are all posted to it, so the fields
 * need no locks. Asynchronous steps capture {@code epoch} (or the socket they concern) and do
 * nothing when they complete after the connection has moved on.
 */
final class ConnectionDriver {
  private static final Logger log = LoggerFactory.getLogger(ConnectionDriver.class);

  /**
   * An access token this close to its expiry is refreshed before connecting rather than presented.
   */
  private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(30);

  private final String name;
  private final ClientSettings settings;
  private final HttpClient http;
  private final AuthApi auth;
  private final TokenStore tokens;
  private final ScheduledExecutorService timer;
  private final Executor completions;
  private final Executor control;
  private final StateWatch states;
  private final Listeners<State> stateChanges;
  private final Listeners<Event> events;
  private final Listeners<Response> strays;
  private final Backoff backoff;
  private final Socket.Handler handler = new Handler();
  private final CompletableFuture<State> terminated = new CompletableFuture<>();

  // Written on the control executor only; volatile for the getters.
  private volatile @Nullable Socket current;
  private volatile @Nullable CloseStatus lastClose;
  private volatile @Nullable AuthenticateResponse session;
  private volatile @Nullable Throwable terminationCause;

  // Control executor only.
  private long epoch;
  private boolean refreshedSinceReady;
  private @Nullable ScheduledFuture<?> reconnectTimer;
  private @Nullable ScheduledFuture<?> pingTimer;

  ConnectionDriver(
      String name,
      ClientSettings settings,
      ClientResources resources,
      TokenStore tokens,
      StateWatch states,
      Listeners<State> stateChanges,
      Listeners<Event> events,
      Listeners<Response> strays) {
    this.name = name;
    this.settings = settings;
    this.http = resources.http();
    this.auth = resources.auth();
    this.tokens = tokens;
    this.timer = resources.timer();
    this.completions = resources.workers();
    this.control = new SerialExecutor(name + "-control", resources.workers());
    this.states = states;
    this.stateChanges = stateChanges;
    this.events = events;
    this.strays = strays;
    this.backoff =
        new Backoff(
            settings.backoffBase(),
            settings.backoffMax(),
            settings.backoffResetAfter(),
            new SplittableRandom(),
            System::nanoTime);
  }

  // --- commands from the application (any thread) ---

  void start() {
    control.execute(this::openSocket);
  }

  void reconnect() {
    control.execute(
        () -> {
          Socket socket = current;
          if (socket != null) {
            drop(socket, CloseStatus.abnormal("reconnect() called"));
          } else if (states.get() == State.RECONNECTING) {
            cancel(reconnectTimer);
            openSocket();
          }
        });
  }

  /**
   * Ends the connection as CLOSED; completes with the final state (LOGGED_OUT if it already was).
   */
  CompletableFuture<State> close() {
    control.execute(() -> terminate(State.CLOSED, null));
    return terminated;
  }

  @Nullable Socket currentSocket() {
    return current;
  }

  @Nullable CloseStatus lastClose() {
    return lastClose;
  }

  @Nullable AuthenticateResponse session() {
    return session;
  }

  @Nullable Throwable terminationCause() {
    return terminationCause;
  }

  /** Where the connection is, for error messages. */
  String describe() {
    CloseStatus close = lastClose;
    Throwable cause = terminationCause;
    return "state "
        + states.get()
        + (close == null ? "" : ", last close " + close)
        + (cause == null ? "" : ", cause: " + cause.getMessage());
  }

  // --- the state machine (control executor) ---

  private void openSocket() {
    if (states.get().isFinal()) {
      return;
    }
    Credentials credentials = tokens.load().orElse(null);
    if (credentials == null) {
      terminate(State.LOGGED_OUT, new ConnectionException("the token store holds no credentials"));
      return;
    }
    if (!refreshedSinceReady
        && credentials.accessTokenExpiredAt(settings.clock().instant().plus(EXPIRY_MARGIN))) {
      refresh();
      return;
    }
    enter(State.CONNECTING);
    long attempt = ++epoch;
    Socket socket =
        new Socket(name + "/" + attempt, settings.encoding(), handler, timer, completions);
    current = socket;
    URI base = settings.endpoints().base();
    log.debug("{}: connecting to {}", socket, base);
    socket
        .open(http, Endpoints.webSocketUri(base), settings.connectTimeout())
        .whenCompleteAsync(
            (ignored, error) -> {
              if (error != null) settings.endpoints().failed(base);
              opened(socket, credentials, error);
            },
            control);
  }

  private void opened(Socket socket, Credentials credentials, Throwable error) {
    if (socket != current) {
      socket.abort(); // closed or superseded while connecting
      return;
    }
    if (error != null) {
      Throwable cause = Futures.unwrap(error);
      log.debug("{}: {}", socket, cause.getMessage());
      lost(
          socket,
          cause instanceof ConnectionException c && c.closeStatus().isPresent()
              ? c.closeStatus().get()
              : CloseStatus.abnormal(cause));
      return;
    }
    enter(State.AUTHENTICATING);
    Request.Builder authenticate =
        Request.newBuilder()
            .setAuthenticate(
                AuthenticateRequest.newBuilder().setAccessToken(credentials.accessToken()));
    CompletableFuture<Response> answer = socket.request(authenticate, settings.requestTimeout());
    if (answer != null) { // else the socket has ended and its onClosed is on the way
      answer.whenCompleteAsync(
          (response, failure) -> authenticated(socket, response, failure), control);
    }
  }

  private void authenticated(Socket socket, Response response, Throwable failure) {
    if (socket != current) {
      return;
    }
    if (failure != null) {
      if (!socket.hasEnded()) { // if it has, its onClosed is queued and knows the close code
        drop(socket, CloseStatus.abnormal("authenticate: " + Futures.unwrap(failure).getMessage()));
      }
      return;
    }
    if (response.hasError()) {
      authenticationRejected(socket, response.getError());
      return;
    }
    if (!response.hasAuthenticate()) {
      drop(socket, CloseStatus.abnormal("authenticate answered with " + response.getResultCase()));
      return;
    }
    session = response.getAuthenticate();
    refreshedSinceReady = false;
    backoff.connected();
    if (states.enter(State.READY, socket)) {
      stateChanges.emit(State.READY);
    }
    startPings(socket);
  }

  private void authenticationRejected(Socket socket, dev.parley.proto.client.Error error) {
    log.debug("{}: authenticate rejected: {}", socket, error.getReason());
    CloseStatus status =
        new CloseStatus(CloseStatus.NORMAL, "authenticate rejected: " + error.getReason());
    detach(socket, status);
    socket.close(status, settings.requestTimeout());
    if (!isUnauthenticated(error)) {
      scheduleReconnect(retryAfter(error));
    } else if (refreshedSinceReady) {
      terminate(State.LOGGED_OUT, new ClientException(error));
    } else {
      refresh();
    }
  }

  private void refresh() {
    Credentials credentials = tokens.load().orElse(null);
    if (credentials == null) {
      terminate(State.LOGGED_OUT, new ConnectionException("the token store holds no credentials"));
      return;
    }
    enter(State.AUTHENTICATING);
    long attempt = ++epoch;
    log.debug("{}: refreshing the tokens", name);
    auth.refreshAsync(credentials.refreshToken())
        .whenCompleteAsync((fresh, error) -> refreshed(attempt, fresh, error), control);
  }

  private void refreshed(long attempt, Credentials fresh, Throwable error) {
    State state = states.get();
    if (fresh != null && state != State.LOGGED_OUT) {
      // Even if closed meanwhile: the old refresh token is spent, only the new one works.
      tokens.save(fresh);
    }
    if (attempt != epoch || state.isFinal()) {
      return;
    }
    if (error == null) {
      refreshedSinceReady = true;
      openSocket();
      return;
    }
    Throwable cause = Futures.unwrap(error);
    if (cause instanceof ClientException e && isSessionGone(e.error())) {
      terminate(State.LOGGED_OUT, e);
      return;
    }
    log.debug("{}: refresh failed: {}", name, cause.toString());
    scheduleReconnect(cause instanceof ClientException e ? retryAfter(e.error()) : Duration.ZERO);
  }

  private void message(Socket socket, Socket.Incoming message) {
    ServerFrame frame;
    try {
      frame = message.decode();
    } catch (InvalidProtocolBufferException e) {
      // A response we cannot read leaves its request to time out; better than dropping the
      // connection.
      log.warn(
          "{}: ignoring a message that does not decode as a ServerFrame: {}",
          socket,
          e.getMessage());
      return;
    }
    switch (frame.getFrameCase()) {
      case RESPONSE -> response(socket, frame.getResponse());
      case EVENT -> event(socket, frame.getEvent());
      default -> log.debug("{}: ignoring a frame of a kind this client does not know", socket);
    }
  }

  private void response(Socket socket, Response response) {
    Runnable completion = socket.claim(response);
    if (response.hasLogout() && socket == current) {
      // The session is over (the server closes the socket next). End it before the caller of
      // logout() hears of it, so that it finds the connection LOGGED_OUT.
      terminate(State.LOGGED_OUT, null);
    }
    if (completion != null) {
      completion.run();
    } else {
      strays.emit(response);
    }
  }

  private void event(Socket socket, Event event) {
    events.emit(event);
    if (event.hasGoAway() && socket == current) {
      Duration delay =
          Duration.ofMillis(Integer.toUnsignedLong(event.getGoAway().getReconnectAfterMs()));
      log.debug(
          "{}: go_away ({}), reconnecting in {}", socket, event.getGoAway().getReason(), delay);
      detach(
          socket,
          new CloseStatus(CloseStatus.GOING_AWAY, "go_away: " + event.getGoAway().getReason()));
      socket.drainThenClose(
          new CloseStatus(CloseStatus.NORMAL, "go_away"), settings.requestTimeout());
      backoff.reset();
      reconnectAfter(delay);
    }
  }

  private void closed(Socket socket, CloseStatus status) {
    socket.failPending(status);
    if (socket == current) {
      log.debug("{}: closed {}", socket, status);
      lost(socket, status);
    }
  }

  /** The current socket is gone: decide between reconnecting, refreshing and giving up. */
  private void lost(Socket socket, CloseStatus status) {
    boolean authenticating = states.get() == State.AUTHENTICATING;
    detach(socket, status);
    socket.failPending(status);
    switch (status.code()) {
      // Not 1000: the logout answer arrives before it and has ended the session already. A 1000
      // without one (Netty sends "1000 Bye" on any close by default, and so may a proxy) is a plain
      // close; if the session did end, the next authenticate and refresh will say so.
      case CloseStatus.SESSION_REVOKED ->
          terminate(
              State.LOGGED_OUT,
              new ConnectionException("the server ended the session: " + status, status, null));
      case CloseStatus.AUTHENTICATION_FAILED -> {
        if (authenticating && !refreshedSinceReady) {
          refresh();
        } else {
          scheduleReconnect(Duration.ZERO);
        }
      }
      default -> scheduleReconnect(Duration.ZERO);
    }
  }

  private void drop(Socket socket, CloseStatus status) {
    log.debug("{}: dropping: {}", socket, status);
    socket.abort();
    lost(socket, status);
  }

  /** Forgets the current socket; what happens to the socket itself is the caller's business. */
  private void detach(Socket socket, CloseStatus status) {
    if (socket == current) {
      current = null;
      lastClose = status;
      cancel(pingTimer);
    }
  }

  private void scheduleReconnect(Duration atLeast) {
    Duration delay = backoff.nextDelay();
    reconnectAfter(delay.compareTo(atLeast) >= 0 ? delay : atLeast);
  }

  private void reconnectAfter(Duration delay) {
    if (states.get().isFinal()) {
      return;
    }
    enter(State.RECONNECTING);
    long attempt = ++epoch;
    log.debug("{}: reconnecting in {}", name, delay);
    reconnectTimer =
        timer.schedule(
            () ->
                control.execute(
                    () -> {
                      if (attempt == epoch) {
                        openSocket();
                      }
                    }),
            delay.toNanos(),
            TimeUnit.NANOSECONDS);
  }

  private void startPings(Socket socket) {
    long period = settings.pingInterval().toNanos();
    if (period > 0) {
      pingTimer =
          timer.scheduleWithFixedDelay(
              () -> control.execute(() -> ping(socket)), period, period, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * An unanswered ping means a dead connection: a half-open TCP connection shows no other symptom,
   * nor does a close the JDK failed to report (see {@link Socket}). An error answer does not.
   */
  private void ping(Socket socket) {
    if (socket != current || states.get() != State.READY) {
      return;
    }
    CompletableFuture<Response> answer =
        socket.request(
            Request.newBuilder().setPing(PingRequest.getDefaultInstance()),
            settings.requestTimeout());
    if (answer != null) {
      answer.whenCompleteAsync(
          (response, error) -> {
            Throwable cause = error == null ? null : Futures.unwrap(error);
            if (cause != null && !(cause instanceof ClientException) && socket == current) {
              drop(socket, CloseStatus.abnormal("ping failed: " + cause.getMessage()));
            }
          },
          control);
    }
  }

  private void terminate(State finalState, @Nullable Throwable cause) {
    if (states.get().isFinal()) {
      terminated.complete(states.get());
      return;
    }
    epoch++;
    terminationCause = cause;
    cancel(reconnectTimer);
    cancel(pingTimer);
    Socket socket = current;
    current = null;
    if (socket != null) {
      CloseStatus status =
          new CloseStatus(
              CloseStatus.NORMAL, finalState == State.CLOSED ? "client closed" : "logged out");
      socket.failPending(status);
      socket.close(status, settings.requestTimeout());
    }
    if (finalState == State.LOGGED_OUT) {
      tokens.clear();
    }
    log.debug("{}: {}{}", name, finalState, cause == null ? "" : " (" + cause.getMessage() + ")");
    states.finish(
        finalState, new ConnectionException(name + " is " + finalState, lastClose, cause));
    stateChanges.emit(finalState);
    terminated.complete(finalState);
  }

  private void enter(State next) {
    if (states.enter(next, null)) {
      stateChanges.emit(next);
    }
  }

  // --- helpers ---

  private static boolean isUnauthenticated(dev.parley.proto.client.Error error) {
    return error.getReason() == dev.parley.proto.client.Error.Reason.UNAUTHENTICATED
        || (error.getCode() == 401 && !isKnownReason(error));
  }

  /** A refresh failure that no retry can fix. */
  private static boolean isSessionGone(dev.parley.proto.client.Error error) {
    return switch (error.getReason()) {
      case INVALID_REFRESH_TOKEN, REFRESH_TOKEN_REUSED -> true;
      default -> error.getCode() == 401;
    };
  }

  private static boolean isKnownReason(dev.parley.proto.client.Error error) {
    return error.getReason() != dev.parley.proto.client.Error.Reason.UNRECOGNIZED
        && error.getReason() != dev.parley.proto.client.Error.Reason.REASON_UNSPECIFIED;
  }

  private static Duration retryAfter(dev.parley.proto.client.Error error) {
    return Duration.ofMillis(Integer.toUnsignedLong(error.getRetryAfterMs()));
  }

  private static void cancel(@Nullable ScheduledFuture<?> task) {
    if (task != null) {
      task.cancel(false);
    }
  }

  /** Hands socket callbacks to the control executor. */
  private final class Handler implements Socket.Handler {
    @Override
    public void onMessage(Socket socket, Socket.Incoming message) {
      control.execute(() -> message(socket, message));
    }

    @Override
    public void onClosed(Socket socket, CloseStatus status) {
      control.execute(() -> closed(socket, status));
    }
  }
}
