package dev.parley.msg.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.common.error.ParleyException;
import dev.parley.proto.client.Error.Reason;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SearchGateTest {
  private final AtomicInteger refused = new AtomicInteger();

  /** A search that runs until {@code release} opens, on a thread of its own. */
  private static CompletableFuture<String> holding(
      SearchGate gate, CountDownLatch started, CountDownLatch release, String answer) {
    return CompletableFuture.supplyAsync(
        () ->
            gate.run(
                () -> {
                  started.countDown();
                  try {
                    release.await();
                  } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                  }
                  return answer;
                }),
        r -> Thread.ofVirtual().start(r));
  }

  private static void assertRefused(Runnable search) {
    assertThatThrownBy(search::run)
        .isInstanceOfSatisfying(
            ParleyException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
              assertThat(e.toError().getRetryAfterMs())
                  .isEqualTo(SearchGate.RETRY_AFTER.toMillis());
            });
  }

  @Test
  void aSecondSearchWaitsForTheFirstsTurnToEnd() throws Exception {
    SearchGate gate = new SearchGate(1, 4, Duration.ofSeconds(30), refused::incrementAndGet);
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    CompletableFuture<String> first = holding(gate, firstStarted, releaseFirst, "first");
    assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();

    CountDownLatch secondStarted = new CountDownLatch(1);
    CompletableFuture<String> second =
        holding(gate, secondStarted, new CountDownLatch(0), "second");
    assertThat(secondStarted.await(200, TimeUnit.MILLISECONDS)).isFalse();

    releaseFirst.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
    assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("second");
    assertThat(refused).hasValue(0);
  }

  @Test
  void aSearchBeyondTheWaitingRoomIsRefusedAtOnce() throws Exception {
    // No room to wait: the second search is refused without waiting the 30 s it could.
    SearchGate gate = new SearchGate(1, 0, Duration.ofSeconds(30), refused::incrementAndGet);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<String> running = holding(gate, started, release, "running");
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    long before = System.nanoTime();
    assertRefused(() -> gate.run(() -> "second"));
    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
    assertThat(refused).hasValue(1);

    release.countDown();
    assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo("running");
    assertThat(gate.run(() -> "after")).isEqualTo("after");
  }

  @Test
  void aSearchThatWaitedTooLongIsRefused() throws Exception {
    SearchGate gate = new SearchGate(1, 4, Duration.ofMillis(50), refused::incrementAndGet);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<String> running = holding(gate, started, release, "running");
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    assertRefused(() -> gate.run(() -> "late"));
    assertThat(refused).hasValue(1);
    release.countDown();
    assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo("running");
  }

  @Test
  void aSearchThatFailsGivesItsTurnBack() {
    SearchGate gate = new SearchGate(1, 0, Duration.ofMillis(50), refused::incrementAndGet);
    assertThatThrownBy(
            () ->
                gate.run(
                    () -> {
                      throw ParleyException.invalid("query", "nothing to search for");
                    }))
        .isInstanceOf(ParleyException.class);
    assertThat(gate.run(() -> "next")).isEqualTo("next");
    assertThat(refused).hasValue(0);
  }
}
