package dev.parley.push.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.proto.internal.PushJob;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class LocalPushQueueTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private static PushJob job(long user) {
    return PushJob.newBuilder().setUserId(user).build();
  }

  @Test
  void whenFullTheOldestJobIsDroppedAndCounted() {
    try (LocalPushQueue queue = new LocalPushQueue(3, registry)) {
      for (long u = 1; u <= 5; u++) queue.offer(job(u));
      assertThat(queue.depth()).isEqualTo(3);
      assertThat(registry.counter("parley.push.queue.dropped").count()).isEqualTo(2);
      assertThat(registry.get("parley.push.queue.depth").gauge().value()).isEqualTo(3);

      List<Long> handled = new CopyOnWriteArrayList<>();
      queue.start((job, ticket) -> handled.add(job.getUserId()));
      await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 3);
      assertThat(handled).containsExactly(3L, 4L, 5L);
    }
  }

  @Test
  void offerNeverBlocksWhileTheHandlerIsBusy() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    try (LocalPushQueue queue = new LocalPushQueue(2, registry)) {
      queue.start(
          (job, ticket) -> {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      for (long u = 1; u <= 1000; u++) queue.offer(job(u)); // returns although nothing drains
      assertThat(queue.depth()).isLessThanOrEqualTo(2);
      release.countDown();
    }
  }
}
