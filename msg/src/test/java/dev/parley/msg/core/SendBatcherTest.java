package dev.parley.msg.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.core.SendTransaction.Request;
import dev.parley.msg.store.EntryKind;
import dev.parley.proto.client.Error.Reason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Load shedding and shutdown of the send queue (no writers here, so nothing ever drains it). */
class SendBatcherTest {
  private static Request request(String id) {
    return new Request(1, 2, id, EntryKind.TEXT, new byte[] {1});
  }

  @Test
  void refusesNewSendsOnceTheOldestQueuedOneWaitedTooLong_andAnswersQueuedOnesAtShutdown() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    SendBatcher batcher = new SendBatcher(null, null, null, Clock.systemUTC(), 0, Duration.ofMillis(100), meters);
    CompletableFuture<Object> queued = CompletableFuture.supplyAsync(() -> batcher.send(request("first")));
    Thread.sleep(300);

    assertThatThrownBy(() -> batcher.send(request("second")))
        .isInstanceOfSatisfying(ParleyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE));
    assertThat(meters.get("parley_msg_sends_shed_total").counter().count()).isEqualTo(1);
    assertThat(queued).isNotDone();

    batcher.close();
    assertThatThrownBy(() -> queued.get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(ParleyException.class)
        .cause()
        .satisfies(e -> assertThat(((ParleyException) e).reason()).isEqualTo(Reason.UNAVAILABLE));
    assertThatThrownBy(() -> batcher.send(request("third")))
        .isInstanceOfSatisfying(ParleyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE));
  }
}
