package dev.parley.push.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProviderGateTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final ProviderGate gate = new ProviderGate("test", 2, 1, executor, registry);

  /** The provider's answers, one per started send, completed by the test. */
  private final List<CompletableFuture<PushOutcome>> answers = new CopyOnWriteArrayList<>();

  private final List<Thread> senders = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  private CompletableFuture<PushOutcome> submit() {
    return gate.submit(
        () -> {
          senders.add(Thread.currentThread());
          CompletableFuture<PushOutcome> answer = new CompletableFuture<>();
          answers.add(answer);
          return answer;
        });
  }

  private double gauge(String name) {
    return registry.get(name).tag("provider", "test").gauge().value();
  }

  @Test
  void boundsWhatIsInFlightQueuesALittleAndRefusesTheRest() throws Exception {
    CompletableFuture<PushOutcome> first = submit();
    CompletableFuture<PushOutcome> second = submit();
    CompletableFuture<PushOutcome> third = submit();
    CompletableFuture<PushOutcome> fourth = submit();

    assertThat(fourth.getNow(null)).isEqualTo(new PushOutcome.RetryLater(null, "overloaded"));
    await().atMost(10, TimeUnit.SECONDS).until(() -> answers.size() == 2);
    assertThat(third).isNotDone();
    assertThat(gauge("parley.push.provider.in.flight")).isEqualTo(2.0);
    assertThat(gauge("parley.push.provider.waiting")).isEqualTo(1.0);

    answers.get(0).complete(new PushOutcome.Delivered());
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(new PushOutcome.Delivered());
    // The freed slot went to the waiting send.
    await().atMost(10, TimeUnit.SECONDS).until(() -> answers.size() == 3);
    assertThat(gate.waiting()).isZero();

    answers.get(1).complete(new PushOutcome.InvalidTarget("gone"));
    answers.get(2).complete(new PushOutcome.Delivered());
    assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(new PushOutcome.InvalidTarget("gone"));
    assertThat(third.get(10, TimeUnit.SECONDS)).isEqualTo(new PushOutcome.Delivered());
    assertThat(gate.inFlight()).isZero();
    assertThat(
            registry
                .get("parley.push.provider.outcomes")
                .tag("outcome", "retry_later")
                .counter()
                .count())
        .isEqualTo(1.0);
    assertThat(
            registry
                .get("parley.push.provider.latency")
                .tag("outcome", "delivered")
                .timer()
                .count())
        .isEqualTo(2);
  }

  @Test
  void sendsNeverRunOnTheCallersThread() throws Exception {
    CompletableFuture<PushOutcome> result = submit();
    await().atMost(10, TimeUnit.SECONDS).until(() -> answers.size() == 1);
    answers.get(0).complete(new PushOutcome.Delivered());
    result.get(10, TimeUnit.SECONDS);
    assertThat(senders).doesNotContain(Thread.currentThread());
  }

  @Test
  void failuresBecomeOutcomesAndFreeTheirSlot() throws Exception {
    PushOutcome thrown =
        gate.submit(
                () -> {
                  throw new IllegalStateException("bug");
                })
            .get(10, TimeUnit.SECONDS);
    PushOutcome refused =
        gate.submit(() -> CompletableFuture.failedFuture(new ConnectException("refused")))
            .get(10, TimeUnit.SECONDS);

    assertThat(thrown).isEqualTo(new PushOutcome.PermanentFailure("error: IllegalStateException"));
    assertThat(refused).isEqualTo(new PushOutcome.RetryLater(null, "unreachable"));
    assertThat(gate.inFlight()).isZero();
  }
}
