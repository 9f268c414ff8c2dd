package dev.parley.client;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a delegate executor (in this SDK: virtual
 * threads). Each task happens-before the next. It owns no thread, so it needs no shutdown: an idle
 * one costs a queue.
 */
final class SerialExecutor implements Executor {
  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

  private final String name;
  private final Executor delegate;
  private final Queue<Runnable> tasks = new ArrayDeque<>(); // guarded by this
  private boolean draining; // guarded by this: a drain() is scheduled or running

  SerialExecutor(String name, Executor delegate) {
    this.name = name;
    this.delegate = delegate;
  }

  @Override
  public void execute(Runnable task) {
    synchronized (this) {
      tasks.add(task);
      if (draining) {
        return;
      }
      draining = true;
    }
    try {
      delegate.execute(this::drain);
    } catch (RejectedExecutionException e) {
      synchronized (this) {
        draining = false;
        tasks.clear();
      }
      log.debug("{}: dropping tasks, the client is closed", name);
    }
  }

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (this) {
        next = tasks.poll();
        if (next == null) {
          draining = false;
          return;
        }
      }
      try {
        next.run();
      } catch (RuntimeException e) {
        log.error("{}: task failed", name, e);
      }
    }
  }
}
