package dev.parley.push.dispatch;

import static dev.parley.push.dispatch.Deliveries.message;
import static dev.parley.push.dispatch.Deliveries.users;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.common.bus.kafka.KafkaConfig;
import dev.parley.common.bus.kafka.KafkaDeliveryBus;
import dev.parley.common.bus.kafka.KafkaTopics;
import dev.parley.proto.internal.Delivery;
import dev.parley.testkit.KafkaExtension;
import io.grpc.InsecureChannelCredentials;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The broker dies (SIGKILL) under a running bus and dispatcher, and comes back on the same ports.
 */
class DispatcherBrokerRestartIT {
  @RegisterExtension static final KafkaExtension kafka = new KafkaExtension();

  @Test
  void publishingAndDispatchingResumeAfterTheBrokerIsKilledAndRestarted() throws Exception {
    KafkaConfig config =
        new KafkaConfig(kafka.bootstrapServers(), "restart", 3, (short) 1, "restart-it", Map.of());
    KafkaTopics.ensure(config);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    DispatcherConfig dc =
        new DispatcherConfig(
            "restart-dispatcher",
            Duration.ofMillis(100),
            Duration.ofSeconds(2),
            Duration.ofSeconds(1),
            Duration.ofSeconds(5),
            Duration.ofMinutes(1),
            1 << 20);
    try (FakeGateway a = new FakeGateway();
        Admin admin = kafka.admin();
        KafkaDeliveryBus bus = KafkaDeliveryBus.create(config, registry);
        Dispatcher dispatcher =
            Dispatcher.create(
                config,
                dc,
                InsecureChannelCredentials.create(),
                new FakePresence().gateway("a", a.address()).online(1, "a"),
                PushHandOff.NONE,
                registry,
                Clock.systemUTC())) {
      dispatcher.start();

      List<Delivery> before = publish(bus, 1, 20);
      await().atMost(Duration.ofSeconds(30)).until(() -> a.received.containsAll(before));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Offsets.committed(admin, "restart-dispatcher", "restart") == 20);

      kafka.broker().kill();
      // Published while the broker is away: each either waits in the producer's buffer and is sent
      // after the restart, or (topic metadata unknown for longer than max.block.ms) fails and is
      // counted. Best effort, but never a silent loss.
      List<Delivery> during = publish(bus, 21, 5);
      kafka.broker().start();
      bus.flush();
      Counter sent = registry.counter("parley.bus.kafka.sent");
      Counter failed = registry.counter("parley.bus.kafka.failed");
      double failedDuring = failed.count();
      // With its only broker gone the producer re-bootstraps and forgets the topic; until it has
      // reconnected (reconnect back-off up to 1 s) a send can still time out. Publishing has
      // resumed
      // once a probe (no recipients: routed nowhere) is acknowledged.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                double acked = sent.count();
                bus.publish(Delivery.getDefaultInstance());
                bus.flush();
                return sent.count() > acked;
              });
      double failedBeforeAfter = failed.count();
      List<Delivery> after = publish(bus, 26, 20);
      bus.flush();

      await().atMost(Duration.ofSeconds(60)).until(() -> a.received.containsAll(after));
      assertThat(failed.count()).isEqualTo(failedBeforeAfter);
      assertThat(a.received).containsAll(before);
      long duringArrived = during.stream().filter(a.received::contains).count();
      assertThat(duringArrived + (long) failedDuring).isEqualTo(during.size());
      // Replays (a commit lost with the broker) may repeat deliveries, never reorder the
      // conversation.
      List<Long> firstSeen = a.received.stream().map(d -> d.getUserPts(0)).distinct().toList();
      assertThat(firstSeen)
          .isSorted()
          .hasSize((int) (before.size() + duringArrived + after.size()));
      assertThat(dispatcher.isRunning()).isTrue();
      long written = Offsets.end(admin, "restart");
      assertThat(written).isEqualTo((long) sent.count());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Offsets.committed(admin, "restart-dispatcher", "restart") == written);
    }
  }

  private static List<Delivery> publish(KafkaDeliveryBus bus, int firstSeq, int count) {
    List<Delivery> sent = new ArrayList<>();
    for (int seq = firstSeq; seq < firstSeq + count; seq++) {
      sent.add(message(500, seq, users(1), users(seq)));
      bus.publish(sent.getLast());
    }
    return sent;
  }
}
