package dev.parley.msg.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class IndexQueueTest {
  private static final Duration NO_WAIT = Duration.ZERO;

  @Test
  void takesOldestFirstAndEachConversationOnce() throws InterruptedException {
    IndexQueue q = new IndexQueue(100);
    for (long c : new long[] {5, 3, 5, 9, 3}) q.add(c);
    assertThat(q.take(2, NO_WAIT)).containsExactly(5L, 3L);
    assertThat(q.take(10, NO_WAIT)).containsExactly(9L);
    assertThat(q.take(10, NO_WAIT)).isEmpty();
  }

  @Test
  void aConversationInFlightIsNotHandedToAnotherTaker() throws InterruptedException {
    IndexQueue q = new IndexQueue(100);
    q.add(1);
    List<Long> first = q.take(10, NO_WAIT);
    q.add(1); // a wake-up while the first taker works on it
    q.add(2);
    assertThat(q.take(10, NO_WAIT)).containsExactly(2L);
    q.finish(first, List.of(), List.of());
    assertThat(q.take(10, NO_WAIT)).containsExactly(1L);
  }

  @Test
  void notReachedGoBackToTheFrontAndUnfinishedToTheBack() throws InterruptedException {
    IndexQueue q = new IndexQueue(100);
    for (long c = 1; c <= 5; c++) q.add(c);
    List<Long> taken = q.take(3, NO_WAIT); // 1, 2, 3
    q.add(6);
    // 1 used the budget and has more; 2 and 3 were not reached.
    q.finish(taken, List.of(2L, 3L), List.of(1L));
    assertThat(q.take(10, NO_WAIT)).containsExactly(2L, 3L, 4L, 5L, 6L, 1L);
  }

  @Test
  void refusesPastItsCapacityButKeepsWhatItHas() throws InterruptedException {
    IndexQueue q = new IndexQueue(2);
    assertThat(q.add(1)).isTrue();
    assertThat(q.add(2)).isTrue();
    assertThat(q.add(3)).isFalse();
    assertThat(q.add(1)).isTrue(); // already waiting
    assertThat(q.take(10, NO_WAIT)).containsExactly(1L, 2L);
  }

  @Test
  void aWaitingTakerWakesOnAnAdd() throws Exception {
    IndexQueue q = new IndexQueue(10);
    Thread adder = Thread.ofPlatform().start(() -> q.add(7));
    assertThat(q.take(10, Duration.ofSeconds(30))).containsExactly(7L);
    adder.join();
  }

  @Test
  void anOfferIsQueuedAsAnAddIs_andPastCapacityDropped() throws InterruptedException {
    IndexQueue q = new IndexQueue(2);
    q.offer(4);
    q.offer(4);
    q.offer(8);
    q.offer(9); // full: the scan finds it
    assertThat(q.size()).isEqualTo(2);
    assertThat(q.take(10, NO_WAIT)).containsExactly(4L, 8L);
  }

  @Test
  void aWaitingTakerWakesOnAnOffer() throws Exception {
    IndexQueue q = new IndexQueue(10);
    Thread offerer = Thread.ofPlatform().start(() -> q.offer(7));
    assertThat(q.take(10, Duration.ofSeconds(30))).containsExactly(7L);
    offerer.join();
  }

  /**
   * Offers that find the lock held by takers are queued by the holder: none is left behind, however
   * the threads interleave.
   */
  @Test
  void offersMadeWhileTakersHoldTheLockAreAllTaken() throws Exception {
    int n = 20_000;
    IndexQueue q = new IndexQueue(n);
    Set<Long> seen = ConcurrentHashMap.newKeySet();
    AtomicBoolean offering = new AtomicBoolean(true);
    List<Thread> takers = new ArrayList<>();
    for (int t = 0; t < 2; t++)
      takers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      while (offering.get() || q.size() > 0) {
                        List<Long> taken = q.take(7, Duration.ofMillis(5));
                        seen.addAll(taken);
                        q.finish(taken, List.of(), List.of());
                      }
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }));
    for (long c = 1; c <= n; c++) q.offer(c);
    offering.set(false);
    for (Thread t : takers) t.join(30_000);

    assertThat(seen).hasSize(n);
  }
}
