package dev.parley.client;

import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.Response;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.SendMessageResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends messages exactly once (design.md 8.4): each logical message keeps one {@code client_msg_id}
 * across all its attempts, and the server stores at most one entry per (conversation, sender,
 * client_msg_id), answering a repeat with the original and {@code duplicate = true}.
 *
 * <p>An attempt without an answer — a timeout, a dropped connection, no READY connection in time —
 * may or may not have been stored, so it is repeated, with the same id, after an exponential
 * back-off with full jitter. So are answers that say "not now": 429 (see {@code retry_after_ms})
 * and 5xx. Any other error is the definite answer (BLOCKED, NOT_FOUND, INVALID_ARGUMENT,
 * PERMISSION_DENIED, CONVERSATION_CLOSED, ...) and fails the send, as does a connection in a final
 * state. All attempts together stay within the send timeout; after it the send fails with {@link
 * RequestTimeoutException} whose cause is the last failure. The caller may then still resend the
 * same id later (see {@link Messenger#send(SendMessageRequest.Builder, String)}).
 *
 * <h2>Surviving the process</h2>
 *
 * Each send is saved in the store's outbox ({@link SyncStore#savePendingSend}) before its first
 * attempt leaves, and removed only when the server has answered definitely: stored (or stored
 * before: a duplicate), or refused with an error that is not retryable. A send that ends otherwise
 * — the send timeout, the messenger closed, the connection ended, the process killed — may have
 * been stored or not, so it stays: the next messenger attached to the store {@link #restore
 * restores} it and resends it with the same id once it has caught up, so that the message exists
 * exactly once whatever happened.
 *
 * <p>A send whose {@code client_msg_id} is already being sent by this outbox is not sent twice: the
 * caller gets the future of the one in flight.
 */
final class Outbox {
  private static final Logger log = LoggerFactory.getLogger(Outbox.class);

  private final Connection connection;
  private final SyncStore store;
  private final MessengerSettings settings;
  private final ScheduledExecutorService timer;
  private final Executor workers;
  private final Duration requestTimeout;
  private final Map<String, Send> inFlight = new ConcurrentHashMap<>();
  private final Map<String, Send> restored =
      new LinkedHashMap<>(); // guarded by this; not started yet
  private volatile boolean closed;

  Outbox(Connection connection, SyncStore store, MessengerSettings settings) {
    this.connection = connection;
    this.store = store;
    this.settings = settings;
    this.timer = connection.resources().timer();
    this.workers = connection.resources().workers();
    this.requestTimeout = connection.settings().requestTimeout();
  }

  /**
   * Sends {@code request} (its {@code client_msg_id} set) until it has an answer; see the class
   * comment.
   */
  CompletableFuture<SendMessageResponse> send(SendMessageRequest request) {
    if (request.getClientMsgId().isEmpty()) {
      throw new IllegalArgumentException("client_msg_id is required");
    }
    if (closed) {
      return CompletableFuture.failedFuture(new ConnectionException("the messenger is closed"));
    }
    Send send = new Send(request);
    Send running = inFlight.putIfAbsent(request.getClientMsgId(), send);
    if (running != null) {
      return running.result;
    }
    try {
      store.savePendingSend(
          request); // before the first attempt leaves: it may be stored from then on
    } catch (RuntimeException e) {
      inFlight.remove(request.getClientMsgId(), send);
      return CompletableFuture.failedFuture(e);
    }
    send.start();
    return send.result;
  }

  /**
   * Takes over the sends an earlier process left in the store; they start on {@link
   * #resumeRestored}. Returns their futures by {@code client_msg_id}, in the order they were first
   * sent.
   */
  synchronized Map<String, CompletableFuture<SendMessageResponse>> restore(
      List<SendMessageRequest> pending) {
    Map<String, CompletableFuture<SendMessageResponse>> futures = new LinkedHashMap<>();
    for (SendMessageRequest request : pending) {
      Send send = new Send(request);
      if (inFlight.putIfAbsent(request.getClientMsgId(), send) == null) {
        restored.put(request.getClientMsgId(), send);
        futures.put(request.getClientMsgId(), send.result);
      }
    }
    return Collections.unmodifiableMap(futures);
  }

  /**
   * Starts the restored sends (the first time only): the messenger calls this once it has caught
   * up.
   */
  synchronized void resumeRestored() {
    if (!restored.isEmpty()) {
      log.debug(
          "{}: resending {} messages left unanswered by an earlier process",
          connection.name(),
          restored.size());
    }
    restored.values().forEach(Send::start);
    restored.clear();
  }

  /**
   * Fails the sends that are waiting to retry or to resume; attempts on the wire finish as they do.
   */
  void close() {
    closed = true;
    synchronized (this) {
      restored
          .values()
          .forEach(Send::closedBeforeAnswer); // they stay in the store for the next messenger
      restored.clear();
    }
  }

  /**
   * One logical message. Its attempts run one after another, each started by the previous one's
   * end.
   */
  private final class Send {
    final SendMessageRequest request;
    final CompletableFuture<SendMessageResponse> result = new CompletableFuture<>();
    final Backoff backoff =
        new Backoff(
            settings.sendBackoffBase(),
            settings.sendBackoffMax(),
            Duration.ZERO,
            new SplittableRandom(),
            System::nanoTime);
    long deadline;
    int attempts;

    Send(SendMessageRequest request) {
      this.request = request;
    }

    void start() {
      deadline = System.nanoTime() + settings.sendTimeout().toNanos();
      attempt();
    }

    void attempt() {
      if (closed) {
        closedBeforeAnswer();
        return;
      }
      long remaining = deadline - System.nanoTime();
      Duration timeout =
          Duration.ofNanos(Math.min(requestTimeout.toNanos(), Math.max(remaining, 1)));
      attempts++;
      Operations.extract(
              Request.OpCase.SEND_MESSAGE,
              connection.send(Request.newBuilder().setSendMessage(request), timeout),
              Response::getSendMessage)
          .whenComplete(
              (answer, error) -> {
                if (error == null) {
                  end(answer, null, true);
                } else {
                  failed(Futures.unwrap(error));
                }
              });
    }

    void closedBeforeAnswer() {
      end(
          null,
          new ConnectionException(
              "the messenger was closed before " + request.getClientMsgId() + " had an answer"),
          false);
    }

    private void failed(Throwable cause) {
      if (!retryable(cause)) {
        end(null, cause, true);
        return;
      }
      if (connection.state().isFinal()) {
        end(null, cause, false);
        return;
      }
      Duration delay = backoff.nextDelay();
      if (cause instanceof ClientException e
          && e.retryAfter().isPresent()
          && e.retryAfter().get().compareTo(delay) > 0) {
        delay = e.retryAfter().get();
      }
      if (System.nanoTime() + delay.toNanos() >= deadline) {
        end(
            null,
            new RequestTimeoutException(
                "send_message "
                    + request.getClientMsgId()
                    + " got no answer in "
                    + attempts
                    + " attempts within "
                    + settings.sendTimeout(),
                cause),
            false);
        return;
      }
      log.debug(
          "{}: send_message {} attempt {} failed ({}), again in {}",
          connection.name(),
          request.getClientMsgId(),
          attempts,
          cause.toString(),
          delay);
      timer.schedule(() -> workers.execute(this::attempt), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** {@code definite}: the server answered for good, so the outbox forgets the message. */
    private void end(
        @Nullable SendMessageResponse answer, @Nullable Throwable failure, boolean definite) {
      if (definite) {
        try {
          store.removePendingSend(request.getClientMsgId());
        } catch (RuntimeException e) { // the next start resends it and gets the original: harmless
          log.warn(
              "{}: could not remove {} from the outbox",
              connection.name(),
              request.getClientMsgId(),
              e);
        }
      }
      inFlight.remove(
          request.getClientMsgId(),
          this); // before completing: a send of the same id after it is new
      if (failure == null) {
        result.complete(answer);
      } else {
        result.completeExceptionally(failure);
      }
    }
  }

  /** Whether an attempt that failed this way may have another go. */
  static boolean retryable(Throwable cause) {
    if (cause instanceof ClientException e) {
      Reason reason = e.reason();
      return reason == Reason.UNAVAILABLE
          || reason == Reason.RATE_LIMITED
          || reason == Reason.TOO_MANY_IN_FLIGHT
          || reason == Reason.INTERNAL
          || e.code() == 429
          || e.code() >= 500;
    }
    return cause instanceof ConnectionException || cause instanceof RequestTimeoutException;
  }
}
