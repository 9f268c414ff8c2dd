package dev.parley.msg.core.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.common.error.ParleyException;
import dev.parley.common.trace.Tracing;
import dev.parley.msg.core.content.Content;
import dev.parley.proto.client.Error.Reason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Load shedding and shutdown of the command queue (no writers here, so nothing ever drains it). */
class LogWriterTest {
  private static LogCommand request(String id) {
    return new LogCommand.Send(1, 2, 0, id, new Content.Text(id));
  }

  @Test
  void refusesNewSendsOnceTheOldestQueuedOneWaitedTooLong_andAnswersQueuedOnesAtShutdown() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    // Each caller blocks until its send is answered: a thread each.
    ExecutorService callers = Executors.newCachedThreadPool();
    AtomicLong nanos = new AtomicLong();
    LogWriter batcher =
        new LogWriter(
            null,
            null,
            null,
            Clock.systemUTC(),
            0,
            Duration.ofMillis(100),
            nanos::get,
            SendPressure.none(),
            meters,
            Tracing.off().tracer("test"));
    CompletableFuture<Object> queued =
        CompletableFuture.supplyAsync(() -> batcher.submit(request("first")), callers);
    await().atMost(Duration.ofSeconds(5)).until(() -> batcher.queued() == 1);

    // Not yet too old: a second send joins the queue (and waits; it is answered at close below).
    CompletableFuture<Object> young =
        CompletableFuture.supplyAsync(() -> batcher.submit(request("young")), callers);
    await().atMost(Duration.ofSeconds(5)).until(() -> batcher.queued() == 2);
    nanos.addAndGet(Duration.ofMillis(101).toNanos());

    assertThatThrownBy(() -> batcher.submit(request("second")))
        .isInstanceOfSatisfying(
            ParleyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE));
    assertThat(meters.get("parley_msg_sends_shed_total").counter().count()).isEqualTo(1);
    assertThat(queued).isNotDone();
    assertThat(young).isNotDone();

    batcher.close();
    assertThatThrownBy(() -> young.get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(ParleyException.class);
    assertThatThrownBy(() -> queued.get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(ParleyException.class)
        .cause()
        .satisfies(e -> assertThat(((ParleyException) e).reason()).isEqualTo(Reason.UNAVAILABLE));
    assertThatThrownBy(() -> batcher.submit(request("third")))
        .isInstanceOfSatisfying(
            ParleyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE));
    callers.shutdown();
  }
}
