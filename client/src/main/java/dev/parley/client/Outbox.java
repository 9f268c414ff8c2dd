package dev.parley.client;

import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.Response;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.SendMessageResponse;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends messages exactly once (design.md 8.4): each logical message keeps one {@code client_msg_id}
 * across all its attempts, and the server stores at most one entry per (conversation, sender,
 * client_msg_id), answering a repeat with the original and {@code duplicate = true}.
 *
 * <p>An attempt without an answer — a timeout, a dropped connection, no READY connection in time — may or
 * may not have been stored, so it is repeated, with the same id, after an exponential back-off with full
 * jitter. So are answers that say "not now": 429 (see {@code retry_after_ms}) and 5xx. Any other error is
 * the definite answer (BLOCKED, NOT_FOUND, INVALID_ARGUMENT, PERMISSION_DENIED, CONVERSATION_CLOSED, ...)
 * and fails the send, as does a connection in a final state. All attempts together stay within the send
 * timeout; after it the send fails with {@link RequestTimeoutException} whose cause is the last failure.
 * The caller may then still resend the same id later (see {@link Messenger#send(SendMessageRequest.Builder,
 * String)}).
 */
final class Outbox {
  private static final Logger log = LoggerFactory.getLogger(Outbox.class);

  private final Connection connection;
  private final Messenger.Settings settings;
  private final ScheduledExecutorService timer;
  private final Executor workers;
  private final Duration requestTimeout;
  private volatile boolean closed;

  Outbox(Connection connection, Messenger.Settings settings) {
    this.connection = connection;
    this.settings = settings;
    this.timer = connection.resources().timer();
    this.workers = connection.resources().workers();
    this.requestTimeout = connection.settings().requestTimeout();
  }

  /** Sends {@code request} (its {@code client_msg_id} set) until it has an answer; see the class comment. */
  CompletableFuture<SendMessageResponse> send(SendMessageRequest request) {
    if (request.getClientMsgId().isEmpty()) {
      throw new IllegalArgumentException("client_msg_id is required");
    }
    Send send = new Send(request);
    send.attempt();
    return send.result;
  }

  /** Fails the sends that are waiting to retry; attempts on the wire finish as they do. */
  void close() {
    closed = true;
  }

  /** One logical message. Its attempts run one after another, each started by the previous one's end. */
  private final class Send {
    final SendMessageRequest request;
    final CompletableFuture<SendMessageResponse> result = new CompletableFuture<>();
    final long deadline = System.nanoTime() + settings.sendTimeout().toNanos();
    final Backoff backoff = new Backoff(settings.sendBackoffBase(), settings.sendBackoffMax(), Duration.ZERO,
        new SplittableRandom(), System::nanoTime);
    int attempts;

    Send(SendMessageRequest request) {
      this.request = request;
    }

    void attempt() {
      if (closed) {
        result.completeExceptionally(new ConnectionException("the messenger was closed before "
            + request.getClientMsgId() + " had an answer"));
        return;
      }
      long remaining = deadline - System.nanoTime();
      Duration timeout = Duration.ofNanos(Math.min(requestTimeout.toNanos(), Math.max(remaining, 1)));
      attempts++;
      Operations.extract(Request.OpCase.SEND_MESSAGE,
              connection.send(Request.newBuilder().setSendMessage(request), timeout),
              Response::getSendMessage)
          .whenComplete((answer, error) -> {
            if (error == null) {
              result.complete(answer);
            } else {
              failed(Futures.unwrap(error));
            }
          });
    }

    private void failed(Throwable cause) {
      if (!retryable(cause) || connection.state().isFinal()) {
        result.completeExceptionally(cause);
        return;
      }
      Duration delay = backoff.nextDelay();
      if (cause instanceof ClientException e && e.retryAfter().isPresent()
          && e.retryAfter().get().compareTo(delay) > 0) {
        delay = e.retryAfter().get();
      }
      if (System.nanoTime() + delay.toNanos() >= deadline) {
        result.completeExceptionally(new RequestTimeoutException("send_message " + request.getClientMsgId()
            + " got no answer in " + attempts + " attempts within " + settings.sendTimeout(), cause));
        return;
      }
      log.debug("{}: send_message {} attempt {} failed ({}), again in {}",
          connection.name(), request.getClientMsgId(), attempts, cause.toString(), delay);
      timer.schedule(() -> workers.execute(this::attempt), delay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /** Whether an attempt that failed this way may have another go. */
  static boolean retryable(Throwable cause) {
    if (cause instanceof ClientException e) {
      Reason reason = e.reason();
      return reason == Reason.UNAVAILABLE || reason == Reason.RATE_LIMITED || reason == Reason.TOO_MANY_IN_FLIGHT
          || reason == Reason.INTERNAL || e.code() == 429 || e.code() >= 500;
    }
    return cause instanceof ConnectionException || cause instanceof RequestTimeoutException;
  }
}
