package dev.parley.file.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ImagePoolTest {
  private static final Duration LONG = Duration.ofMinutes(1);

  @Test
  void full_refusesAtOnceAsBusy_thenAcceptsAgain() throws Exception {
    try (ImagePool pool = new ImagePool(1, 1, LONG)) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch running = new CountDownLatch(1);
      CompletableFuture<String> first =
          CompletableFuture.supplyAsync(
              () ->
                  pool.run(
                      abort -> {
                        running.countDown();
                        waitFor(release);
                        return "first";
                      }));
      assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<String> second =
          CompletableFuture.supplyAsync(() -> pool.run(abort -> "second"));
      await().atMost(Duration.ofSeconds(30)).until(() -> pool.queued() == 1);

      assertThatThrownBy(() -> pool.run(abort -> "third"))
          .isInstanceOfSatisfying(
              ImageException.class,
              e -> {
                assertThat(e.failure()).isEqualTo(ImageException.Failure.BUSY);
                assertThat(e.retryAfter()).isPositive();
              });

      release.countDown();
      assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("first");
      assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo("second");
      String again = pool.run(abort -> "again");
      assertThat(again).isEqualTo("again");
    }
  }

  @Test
  void oneAfterAnother_neverBusy_evenWithoutQueue() {
    // The permit must be back before the caller wakes up: a caller that submits its next image at
    // once must find it free.
    try (ImagePool pool = new ImagePool(1, 0, LONG)) {
      for (int i = 0; i < 20_000; i++) {
        int n = i;
        assertThat(pool.<Integer>run(abort -> n)).isEqualTo(n);
      }
    }
  }

  @Test
  void tooSlow_abortedAndTimedOut_andItsThreadComesBack() {
    try (ImagePool pool = new ImagePool(1, 0, Duration.ofMillis(300))) {
      AtomicBoolean hookRan = new AtomicBoolean();
      assertThatThrownBy(
              () ->
                  pool.run(
                      abort -> {
                        abort.onAbort(() -> hookRan.set(true));
                        while (!abort.aborted()) Thread.onSpinWait(); // a decoder between rows
                        abort.throwIfAborted();
                        return "never";
                      }))
          .isInstanceOfSatisfying(
              ImageException.class,
              e -> assertThat(e.failure()).isEqualTo(ImageException.Failure.TIMED_OUT));
      assertThat(hookRan).isTrue();
      // The aborted job gave its permit back: the next one runs.
      await().atMost(Duration.ofSeconds(30)).until(() -> runs(pool));
    }
  }

  @Test
  void notStartedInTime_busy_andSkippedWhenDequeued() throws Exception {
    try (ImagePool pool = new ImagePool(1, 1, Duration.ofMillis(300))) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch started = new CountDownLatch(1);
      AtomicInteger ran = new AtomicInteger();
      CompletableFuture<Object> blocker =
          CompletableFuture.supplyAsync(
              () ->
                  catching(
                      () ->
                          pool.run(
                              abort -> {
                                started.countDown(); // then ignores its abort, like a stuck decoder
                                waitFor(release);
                                return "blocker";
                              })));
      assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

      assertThatThrownBy(() -> pool.run(abort -> ran.incrementAndGet()))
          .isInstanceOfSatisfying(
              ImageException.class,
              e -> assertThat(e.failure()).isEqualTo(ImageException.Failure.BUSY));

      release.countDown();
      blocker.get(30, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(30)).until(() -> runs(pool));
      assertThat(ran).as("the abandoned job never ran").hasValue(0);
    }
  }

  @Test
  void failuresReachTheCaller() {
    try (ImagePool pool = new ImagePool(1, 0, LONG)) {
      assertThatThrownBy(
              () ->
                  pool.run(
                      abort -> {
                        throw ImageException.malformed("bad", null);
                      }))
          .isInstanceOfSatisfying(
              ImageException.class,
              e -> assertThat(e.failure()).isEqualTo(ImageException.Failure.MALFORMED));
    }
  }

  private static boolean runs(ImagePool pool) {
    try {
      return "ok".equals(pool.run(abort -> "ok"));
    } catch (ImageException e) {
      return false;
    }
  }

  private static Object catching(java.util.function.Supplier<Object> s) {
    try {
      return s.get();
    } catch (ImageException e) {
      return e;
    }
  }

  private static void waitFor(CountDownLatch latch) {
    try {
      if (!latch.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("not released");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
