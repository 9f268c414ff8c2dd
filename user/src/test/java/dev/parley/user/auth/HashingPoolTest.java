package dev.parley.user.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.parley.common.error.ParleyException;
import dev.parley.proto.client.Error.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The bound that keeps one connection from making the server run Argon2 at will: never more than
 * the configured computations at once, never more waiting than the queue holds, the rest refused at
 * once.
 */
class HashingPoolTest {
  @Test
  void runsAtMostThreadsAtOnceAndRefusesBeyondTheQueueAtOnce() throws Exception {
    AtomicInteger rejected = new AtomicInteger();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch twoRunning = new CountDownLatch(2);
    try (HashingPool pool = new HashingPool(2, 3, rejected::incrementAndGet);
        ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<String>> admitted = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        admitted.add(
            callers.submit(
                () ->
                    pool.run(
                        () -> {
                          maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                          twoRunning.countDown();
                          release.await();
                          running.decrementAndGet();
                          return "hashed";
                        })));
      }
      assertThat(twoRunning.await(10, TimeUnit.SECONDS)).isTrue();
      // 2 running + 3 queued: the sixth is refused without waiting for any of them.
      awaitQueued(pool, admitted);
      ParleyException e =
          catchThrowableOfType(ParleyException.class, () -> pool.run(() -> "one too many"));
      assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
      assertThat(e.toError().getRetryAfterMs()).isPositive();
      assertThat(rejected).hasValue(1);

      release.countDown();
      for (Future<String> f : admitted) assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("hashed");
      assertThat(maxRunning).hasValue(2);
      assertThat(pool.run(() -> "room again")).isEqualTo("room again");
    }
  }

  /** Waits until the three callers beyond the threads have handed their work to the queue. */
  private static void awaitQueued(HashingPool pool, List<Future<String>> admitted)
      throws InterruptedException {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> pool.queued() >= 3);
    assertThat(pool.queued()).isEqualTo(3);
    assertThat(admitted).noneMatch(Future::isDone);
  }

  @Test
  void exceptionsOfTheComputationReachTheCaller() {
    try (HashingPool pool = new HashingPool(1, 0, () -> {})) {
      ParleyException e =
          catchThrowableOfType(
              ParleyException.class,
              () ->
                  pool.run(
                      () -> {
                        throw ParleyException.invalid("x", "bad");
                      }));
      assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT);
    }
  }
}
