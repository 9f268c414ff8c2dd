package dev.parley.file.image;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where image work runs: a fixed number of threads, a short bounded queue, a time limit per image.
 *
 * <p>Why: decoding a 12-megapixel photo holds ~50 MB and a core for a good part of a second.
 * Callers (upload completions) arrive on virtual threads without a bound; run there, a burst of
 * uploads would take every core and the heap. Here at most {@code threads} images are worked on and
 * at most {@code queue} wait; one more is refused at once with {@link ImageException.Failure#BUSY},
 * which the caller may retry after {@link ImageException#BUSY_RETRY_AFTER}. (The same idea as the
 * user service's password {@code HashingPool}.)
 *
 * <p>Admission is a semaphore of threads + queue permits, taken before submitting and given back by
 * the pool thread when the job is over (or skipped): a bounded executor queue alone would refuse
 * work in the instant between a thread finishing one job and taking the next.
 *
 * <p>Time limit: the caller waits at most {@code timeout}. If its job has not started by then, it
 * is marked abandoned (skipped when dequeued) and the caller gets BUSY; if it is running, it is
 * aborted ({@link AbortSignal}: decoders stopped, processes killed) and the caller gets TIMED_OUT.
 * A job that ignores the abort keeps its permit until it really ends, so the pool never runs more
 * than {@code threads} jobs, even then.
 */
final class ImagePool implements AutoCloseable {
  /** One unit of image work; it checks the signal between steps and registers abort hooks. */
  interface Job<T> {
    T run(AbortSignal abort);
  }

  private final ThreadPoolExecutor executor;
  private final Semaphore admitted;
  private final Duration timeout;

  ImagePool(int threads, int queue, Duration timeout) {
    this.timeout = timeout;
    this.admitted = new Semaphore(threads + queue);
    AtomicInteger n = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), // bounded by the admission permits
            r -> {
              Thread t = new Thread(r, "parley-image-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    executor.allowCoreThreadTimeOut(true);
  }

  /** Runs the job on the pool and waits for it, at most {@code timeout}. */
  <T> T run(Job<T> job) {
    if (!admitted.tryAcquire()) throw busy("too many images in progress");
    AbortSignal abort = new AbortSignal();
    CompletableFuture<T> result = new CompletableFuture<>();
    Runnable task =
        () -> {
          // The permit goes back before the caller is woken: a caller that submits its next image
          // at once must find it free (released after completing, it was refused now and then).
          if (!abort.start()) {
            admitted.release();
            return;
          }
          T value;
          try {
            value = job.run(abort);
          } catch (Throwable t) { // handed to the waiting caller, which rethrows it
            admitted.release();
            result.completeExceptionally(t);
            return;
          }
          admitted.release();
          result.complete(value);
        };
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) { // closed
      admitted.release();
      throw busy("image processing is shutting down");
    }
    try {
      return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      if (abort.abandonIfNotStarted()) throw busy("no image thread was free in time");
      abort.abort();
      throw new ImageException(
          ImageException.Failure.TIMED_OUT, "took longer than " + timeout + "; abandoned");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (!abort.abandonIfNotStarted()) abort.abort();
      throw busy("interrupted while waiting");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) throw r;
      if (cause instanceof Error err) throw err;
      throw new IllegalStateException("image job failed", cause);
    }
  }

  /** Jobs waiting for a thread (tests and diagnostics). */
  int queued() {
    return executor.getQueue().size();
  }

  private static ImageException busy(String why) {
    return new ImageException(ImageException.Failure.BUSY, why + "; try again shortly");
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
