package dev.parley.push.provider;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every provider does around its own protocol: bounds the notifications in flight, keeps the
 * caller's thread free, turns exceptions into outcomes, and meters.
 *
 * <p><b>Concurrency.</b> At most {@code maxInFlight} sends run at once; up to {@code maxWaiting}
 * more wait in FIFO order for a slot; beyond that a send is answered at once with {@code
 * RetryLater("overloaded")}: the caller's queue (durable, unlike this one) keeps the work, and a
 * slow provider cannot exhaust memory or sockets. A slot is freed when its send's future completes,
 * whatever the outcome.
 *
 * <p><b>Threads.</b> Every send starts on {@code executor}, never on the caller's thread, so that
 * request building, encryption and token look-ups cost the caller nothing; a slot freed by a
 * completing send hands the next waiting send to the executor too, rather than starting it inside
 * the completion (which could nest one send inside another's completion without bound); and the
 * caller's future is completed from the executor, so its continuations never run on an I/O thread.
 */
public final class ProviderGate {
  private static final Logger log = LoggerFactory.getLogger(ProviderGate.class);

  private final String provider;
  private final int maxInFlight;
  private final int maxWaiting;
  private final Executor executor;
  private final ProviderMetrics metrics;

  // Guarded by this.
  private int inFlight;
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();

  private record Pending(
      Supplier<CompletableFuture<PushOutcome>> send, CompletableFuture<PushOutcome> result) {}

  public ProviderGate(
      String provider, int maxInFlight, int maxWaiting, Executor executor, MeterRegistry registry) {
    if (maxInFlight < 1 || maxWaiting < 0) {
      throw new IllegalArgumentException(
          provider + ": need max-in-flight >= 1 and max-waiting >= 0");
    }
    this.provider = provider;
    this.maxInFlight = maxInFlight;
    this.maxWaiting = maxWaiting;
    this.executor = executor;
    this.metrics = new ProviderMetrics(registry, provider, this::inFlight, this::waiting);
  }

  /**
   * Runs {@code send} when a slot is free; the returned future never completes exceptionally.
   *
   * @param send starts one notification's request and returns its outcome's future
   */
  public CompletableFuture<PushOutcome> submit(Supplier<CompletableFuture<PushOutcome>> send) {
    Pending pending = new Pending(send, new CompletableFuture<>());
    boolean start;
    synchronized (this) {
      start = inFlight < maxInFlight;
      if (start) {
        inFlight++;
      } else if (waiting.size() < maxWaiting) {
        waiting.add(pending);
      } else {
        PushOutcome overloaded = new PushOutcome.RetryLater(null, "overloaded");
        metrics.count(overloaded);
        return CompletableFuture.completedFuture(overloaded);
      }
    }
    if (start) startOnExecutor(pending);
    return pending.result();
  }

  synchronized int inFlight() {
    return inFlight;
  }

  synchronized int waiting() {
    return waiting.size();
  }

  private void startOnExecutor(Pending pending) {
    try {
      executor.execute(() -> run(pending));
    } catch (RejectedExecutionException e) {
      // The provider is closing: its executor takes nothing more.
      finish(pending, new PushOutcome.RetryLater(null, "closed"), System.nanoTime());
    }
  }

  private void run(Pending pending) {
    long start = System.nanoTime();
    CompletableFuture<PushOutcome> sent;
    try {
      sent = pending.send().get();
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    var unused =
        sent.whenComplete(
            (outcome, error) -> {
              PushOutcome result = outcome;
              if (error != null || result == null) {
                result = Failures.outcomeOf(error == null ? new NullPointerException() : error);
                if (result instanceof PushOutcome.PermanentFailure) {
                  log.warn("{}: sending a notification failed unexpectedly", provider, error);
                }
              }
              finish(pending, result, start);
            });
  }

  private void finish(Pending pending, PushOutcome outcome, long startNanos) {
    metrics.record(outcome, System.nanoTime() - startNanos);
    Pending next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) inFlight--;
    }
    // The slot passes to the next waiting send before the caller hears of this outcome, so that a
    // caller reacting to it (by sending again) finds the queue in order.
    if (next != null) startOnExecutor(next);
    // The caller's continuations run on the executor too, never on a provider's I/O thread (Pushy
    // completes on its Netty event loop, which a caller's blocking continuation would stall).
    try {
      executor.execute(() -> pending.result().complete(outcome));
    } catch (RejectedExecutionException e) {
      pending.result().complete(outcome);
    }
  }
}
