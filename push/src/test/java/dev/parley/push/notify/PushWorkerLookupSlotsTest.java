package dev.parley.push.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.proto.client.Message;
import dev.parley.proto.client.TextContent;
import dev.parley.proto.client.Update;
import dev.parley.proto.internal.NotifyFacts;
import dev.parley.proto.internal.PushJob;
import dev.parley.proto.internal.SessionPushTarget;
import dev.parley.push.provider.PushProvidersConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Push lookups read the database that sends need: the worker runs at most push.lookup-concurrency
 * of them at once, however many jobs arrive (bench S7 at 500 msg/s took the whole pool before).
 */
class PushWorkerLookupSlotsTest {

  @Test
  void aBurstOfJobsLooksUpAtMostLookupConcurrencyAtOnce_andEveryJobFinishes() throws Exception {
    CountDownLatch open = new CountDownLatch(1);
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    PushLookups slow =
        new PushLookups() {
          @Override
          public List<SessionPushTarget> targets(long userId) {
            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            try {
              open.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            inside.decrementAndGet();
            return List.of(); // nobody to notify: the job is done after the lookup
          }

          @Override
          public NotifyFacts facts(long userId, long conversationId) {
            throw new AssertionError("not reached without targets");
          }

          @Override
          public String displayName(long userId) {
            throw new AssertionError("not reached without targets");
          }

          @Override
          public boolean removeTarget(long sessionId, String address) {
            throw new AssertionError("not reached without targets");
          }
        };
    int jobs = 40;
    CountDownLatch finished = new CountDownLatch(jobs);
    try (PushWorker worker =
        new PushWorker(
            slow,
            new PushProviders(null, null, null),
            config(3),
            new SimpleMeterRegistry(),
            Clock.systemUTC())) {
      for (int i = 0; i < jobs; i++) worker.handle(job(1000 + i), finished::countDown);

      await().atMost(Duration.ofSeconds(10)).until(() -> inside.get() == 3);
      // The other 37 wait for a slot: none gets in while the three are held.
      Thread.sleep(300);
      assertThat(inside.get()).isEqualTo(3);
      open.countDown();
      assertThat(finished.await(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(most.get()).isEqualTo(3);
  }

  private static PushJob job(long userId) {
    return PushJob.newBuilder()
        .setUserId(userId)
        .setCommittedAtMs(System.currentTimeMillis())
        .setUpdate(
            Update.newBuilder()
                .setPts(1)
                .setMessage(
                    Message.newBuilder()
                        .setConversationId(77)
                        .setSeq(1)
                        .setSenderId(5)
                        .setText(TextContent.newBuilder().setText("hi"))))
        .build();
  }

  private static PushConfig config(int lookupConcurrency) {
    return new PushConfig(
        100,
        Duration.ZERO,
        Duration.ofHours(1),
        Duration.ofMinutes(5),
        100,
        Duration.ofSeconds(1),
        Duration.ofMinutes(1),
        lookupConcurrency,
        new PushProvidersConfig(null, null, null));
  }
}
