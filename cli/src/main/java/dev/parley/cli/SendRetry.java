package dev.parley.cli;

import dev.parley.client.ClientException;
import dev.parley.client.ConnectionException;
import dev.parley.client.Futures;
import dev.parley.client.RequestTimeoutException;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.SendMessageResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Sends one message until the server answers, as protocol section 9 asks. Every attempt carries the
 * same {@code client_msg_id}, and the server stores at most one entry per (conversation, sender,
 * client_msg_id), so however many attempts reach it the message exists once; a repeat is answered
 * with the original and {@code duplicate = true}.
 *
 * <p>An attempt without an answer (a timeout, a dropped connection) may or may not have been
 * stored, so it is repeated after an exponential back-off with full jitter, {@code [0, min(max,
 * base * 2^n)]}; so are the answers that mean "not now" (UNAVAILABLE, RATE_LIMITED,
 * TOO_MANY_IN_FLIGHT, INTERNAL, 429, 5xx), no sooner than their {@code retry_after}. Any other
 * error is the definite answer and ends the send, as does a connection that has ended ({@code
 * gone}). All attempts stay within {@code budget}; after it the send fails with {@code TIMEOUT},
 * naming the id to send again with.
 *
 * <p>The SDK's {@code Messenger} does the same, but attaching one synchronizes the whole account
 * first ({@code get_state} and every conversation page for a store without pts), which a one-shot
 * command has no use for.
 */
final class SendRetry {
  /** Blocks for the back-off; tests pass one that only moves their clock. */
  interface Pause {
    void pause(Duration delay) throws InterruptedException;
  }

  static final Duration BASE = Duration.ofMillis(100);
  static final Duration MAX = Duration.ofSeconds(5);

  private final Duration budget;
  private final Duration attemptTimeout;
  private final LongSupplier nanoTime;
  private final Pause pause;
  private final RandomGenerator random;
  private final Consumer<String> log;

  /**
   * {@code attemptTimeout}: how long one attempt may wait for its answer (less if the budget ends
   * sooner). {@code log} hears of each failed attempt (the CLI prints them with --verbose).
   */
  SendRetry(
      Duration budget,
      Duration attemptTimeout,
      LongSupplier nanoTime,
      Pause pause,
      RandomGenerator random,
      Consumer<String> log) {
    this.budget = budget;
    this.attemptTimeout = attemptTimeout;
    this.nanoTime = nanoTime;
    this.pause = pause;
    this.random = random;
    this.log = log;
  }

  /** With the system clock, blocking pauses and a fresh random generator. */
  static SendRetry standard(Duration budget, Duration attemptTimeout, Consumer<String> log) {
    return new SendRetry(
        budget,
        attemptTimeout,
        System::nanoTime,
        delay -> Thread.sleep(delay),
        RandomGenerator.getDefault(),
        log);
  }

  /**
   * Sends {@code request} (its client_msg_id set) through {@code attempt}, which is given the time
   * the attempt may take, until there is an answer; throws the definite error, or {@link
   * CliException} {@code TIMEOUT} when the budget is spent.
   */
  SendMessageResponse send(
      SendMessageRequest request,
      BiFunction<SendMessageRequest, Duration, CompletableFuture<SendMessageResponse>> attempt,
      BooleanSupplier gone) {
    if (request.getClientMsgId().isEmpty()) {
      throw new IllegalArgumentException("client_msg_id is required");
    }
    long deadline = nanoTime.getAsLong() + budget.toNanos();
    for (int attempts = 1; ; attempts++) {
      RuntimeException failure;
      try {
        long remaining = Math.max(1, deadline - nanoTime.getAsLong());
        return Futures.await(
            attempt.apply(
                request, Duration.ofNanos(Math.min(attemptTimeout.toNanos(), remaining))));
      } catch (RuntimeException e) {
        failure = e;
      }
      if (!retryable(failure) || gone.getAsBoolean()) {
        throw failure;
      }
      Failure last = Failure.of(failure);
      String why = last.message().isEmpty() ? last.reason() : last.reason() + ": " + last.message();
      Duration delay = delay(attempts - 1, failure);
      if (nanoTime.getAsLong() + delay.toNanos() >= deadline) {
        throw new CliException(
            "TIMEOUT",
            "no answer to send_message in "
                + attempts
                + " attempts within "
                + budget.toSeconds()
                + " s (last: "
                + why
                + "); sending again with --client-msg-id "
                + request.getClientMsgId()
                + " cannot duplicate it",
            ExitCodes.FAILED,
            failure);
      }
      log.accept(
          "send_message attempt "
              + attempts
              + " failed ("
              + why
              + "), again in "
              + delay.toMillis()
              + " ms with the same client_msg_id "
              + request.getClientMsgId());
      try {
        pause.pause(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException(
            "INTERRUPTED",
            "interrupted while waiting to resend " + request.getClientMsgId(),
            ExitCodes.FAILED,
            e);
      }
    }
  }

  /**
   * The back-off after {@code failures} (from 0) failed attempts; at least the server's
   * retry_after.
   */
  private Duration delay(int failures, RuntimeException failure) {
    long ceiling =
        failures >= 32 ? MAX.toNanos() : Math.min(MAX.toNanos(), BASE.toNanos() << failures);
    Duration delay = Duration.ofNanos(random.nextLong(ceiling + 1));
    if (failure instanceof ClientException e
        && e.retryAfter().isPresent()
        && e.retryAfter().get().compareTo(delay) > 0) {
      return e.retryAfter().get();
    }
    return delay;
  }

  /**
   * Whether another attempt may still be stored once, or succeed where this one was refused for
   * now.
   */
  static boolean retryable(Throwable failure) {
    Throwable t = Futures.unwrap(failure);
    if (t instanceof ClientException e) {
      Reason reason = e.reason();
      return reason == Reason.UNAVAILABLE
          || reason == Reason.RATE_LIMITED
          || reason == Reason.TOO_MANY_IN_FLIGHT
          || reason == Reason.INTERNAL
          || e.code() == 429
          || e.code() >= 500;
    }
    return t instanceof ConnectionException || t instanceof RequestTimeoutException;
  }
}
