package dev.parley.user.auth;

import dev.parley.common.error.ParleyException;
import dev.parley.proto.client.Error.Reason;
import dev.parley.user.BoundedPools;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Where Argon2 runs: a fixed number of threads and a short bounded queue.
 *
 * <p>Why: requests are served on virtual threads without a bound, and each Argon2 computation holds
 * {@code memory-kib} of memory and a core for tens of milliseconds. Run on the request thread, 64
 * concurrent wrong passwords from one connection took both cores and 400 MB, and every other user's
 * requests waited. Here at most {@code threads} computations run and at most {@code queue} wait;
 * one more is refused at once with UNAVAILABLE (retry after a second), so overload costs the
 * attacker a refusal instead of costing everybody else latency and memory.
 */
public final class HashingPool implements AutoCloseable {
  static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  private final ThreadPoolExecutor executor;
  // Admission, separate from the executor's queue: threads + queue permits, taken before submitting
  // and returned when the computation ends. A bounded executor queue alone would refuse work in the
  // instant between a thread finishing one computation and taking the next.
  private final Semaphore admitted;
  private final Runnable onRejected;

  /**
   * @param onRejected called for each refused computation (a metric)
   */
  public HashingPool(int threads, int queue, Runnable onRejected) {
    this.onRejected = onRejected;
    this.admitted = new Semaphore(threads + queue);
    this.executor =
        BoundedPools.fixed("parley-password-hash-", threads, new LinkedBlockingQueue<>());
  }

  /**
   * Runs the computation on the pool and waits for it; UNAVAILABLE at once when the pool is full.
   */
  public <T> T run(Callable<T> computation) {
    if (!admitted.tryAcquire()) {
      onRejected.run();
      throw busy();
    }
    Future<T> future;
    try {
      future =
          executor.submit(
              () -> {
                try {
                  return computation.call();
                } finally {
                  admitted.release();
                }
              });
    } catch (RejectedExecutionException e) { // shut down
      admitted.release();
      throw busy();
    }
    try {
      return future.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error err) throw err;
      throw new IllegalStateException("Password hashing failed", e.getCause());
    } catch (InterruptedException e) {
      // Not cancelled: a task cancelled while queued would never run its finally and leak a permit;
      // letting it finish costs at most one computation.
      Thread.currentThread().interrupt();
      throw busy();
    }
  }

  /** Computations waiting for a thread (for tests and diagnostics). */
  int queued() {
    return executor.getQueue().size();
  }

  private static ParleyException busy() {
    return new ParleyException(
        Reason.UNAVAILABLE,
        "Too many password checks in progress; try again shortly",
        "",
        RETRY_AFTER);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
