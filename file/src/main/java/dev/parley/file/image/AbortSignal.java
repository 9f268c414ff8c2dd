package dev.parley.file.image;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lets the thread waiting for an image stop the work done for it on a pool thread.
 *
 * <p>States: NEW (queued) → STARTED (a pool thread took it) or ABANDONED (the waiter gave up first:
 * the job is skipped when dequeued). Independently, {@link #abort()} marks a started job timed out
 * and runs the hooks the job registered (stop a decoder, kill a process); the job checks {@link
 * #throwIfAborted()} between steps.
 */
final class AbortSignal {
  private static final int NEW = 0;
  private static final int STARTED = 1;
  private static final int ABANDONED = 2;

  private final AtomicInteger state = new AtomicInteger(NEW);
  private final List<Runnable> hooks = new CopyOnWriteArrayList<>();
  private volatile boolean aborted;

  /** True when the job may run; false when its waiter already gave up. */
  boolean start() {
    return state.compareAndSet(NEW, STARTED);
  }

  /** True when the job had not started and now never will. */
  boolean abandonIfNotStarted() {
    return state.compareAndSet(NEW, ABANDONED);
  }

  void abort() {
    aborted = true;
    hooks.forEach(Runnable::run);
  }

  /** Runs {@code hook} on abort, or at once when already aborted. */
  void onAbort(Runnable hook) {
    hooks.add(hook);
    if (aborted) hook.run();
  }

  boolean aborted() {
    return aborted;
  }

  void throwIfAborted() {
    if (aborted) {
      throw new ImageException(ImageException.Failure.TIMED_OUT, "took too long; abandoned");
    }
  }
}
