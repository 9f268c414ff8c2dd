package dev.parley.user;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fixed-size pools of named daemon threads that go away when idle (30 s), for the service's own
 * work.
 */
public final class BoundedPools {
  private BoundedPools() {}

  public static ThreadPoolExecutor fixed(
      String namePrefix, int threads, BlockingQueue<Runnable> queue) {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            queue,
            r -> {
              Thread t = new Thread(r, namePrefix + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }
}
