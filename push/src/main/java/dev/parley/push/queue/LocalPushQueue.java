package dev.parley.push.queue;

import dev.parley.proto.internal.PushJob;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single node's push queue: bounded and in memory (design 12.2). When full, the oldest job is
 * dropped and counted ({@code parley.push.queue.dropped}): the newest events matter most, and the
 * feed is the source of truth, so a lost push loses nothing a device cannot sync. A crash loses the
 * jobs in it for the same reason. Tickets forget nothing here, since nothing is replayed.
 *
 * <p>One platform thread hands jobs to the handler, which only schedules them.
 */
public final class LocalPushQueue implements PushQueue {
  private static final Logger log = LoggerFactory.getLogger(LocalPushQueue.class);
  private static final JobTicket NO_RECEIPT = () -> {};

  private final int capacity;
  private final ArrayDeque<PushJob> jobs = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Counter dropped;
  private @Nullable Thread thread;
  private volatile boolean closed;

  public LocalPushQueue(int capacity, MeterRegistry registry) {
    if (capacity < 1) throw new IllegalArgumentException("push.local-queue < 1: " + capacity);
    this.capacity = capacity;
    this.dropped =
        Counter.builder("parley.push.queue.dropped")
            .description("Push jobs dropped because the local queue was full (oldest first)")
            .register(registry);
    Gauge.builder("parley.push.queue.depth", this, LocalPushQueue::depth)
        .description("Push jobs waiting in the queue")
        .register(registry);
  }

  @Override
  public void offer(PushJob job) {
    lock.lock();
    try {
      if (closed) return;
      if (jobs.size() >= capacity) {
        jobs.pollFirst();
        dropped.increment();
      }
      jobs.addLast(job);
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public synchronized void start(PushJobHandler handler) {
    if (thread != null) throw new IllegalStateException("already started");
    thread = Thread.ofPlatform().name("push-queue").daemon().start(() -> run(handler));
  }

  private void run(PushJobHandler handler) {
    while (true) {
      PushJob job;
      lock.lock();
      try {
        while (jobs.isEmpty() && !closed) notEmpty.await();
        if (closed) return;
        job = jobs.removeFirst();
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      try {
        handler.handle(job, NO_RECEIPT);
      } catch (RuntimeException e) {
        log.warn("Push job handler failed; job dropped", e);
      }
    }
  }

  /** Jobs waiting. */
  public int depth() {
    lock.lock();
    try {
      return jobs.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    Thread t;
    lock.lock();
    try {
      closed = true;
      jobs.clear();
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
