package dev.parley.common.bus.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.proto.client.Event;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.ReadMarker;
import dev.parley.proto.client.Update;
import dev.parley.proto.internal.Delivery;
import dev.parley.testkit.KafkaExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Kafka bus against a real broker. It lives in the push module because common's own tests
 * cannot use the testkit (which depends on common).
 */
class KafkaDeliveryBusIT {
  @RegisterExtension static final KafkaExtension kafka = new KafkaExtension();

  private KafkaConfig config(String topic, int partitions) {
    return new KafkaConfig(
        kafka.bootstrapServers(), topic, partitions, (short) 1, "bus-it", Map.of());
  }

  @Test
  void ensureCreatesTheTopicOnceAndKeepsAnExistingPartitionCount() throws Exception {
    assertThat(KafkaTopics.ensure(config("ensured", 4))).isEqualTo(4);
    assertThat(KafkaTopics.ensure(config("ensured", 4))).isEqualTo(4);
    try (Admin admin = kafka.admin()) {
      assertThat(KafkaTopics.ensure(admin, "ensured", 6, (short) 1)).isEqualTo(4);
      assertThat(
              admin
                  .describeTopics(List.of("ensured"))
                  .allTopicNames()
                  .get()
                  .get("ensured")
                  .partitions())
          .hasSize(4);
    }
  }

  @Test
  void publishesEachDeliveryKeyedByConversationOrFirstUser() {
    KafkaConfig config = config("bus", 4);
    KafkaTopics.ensure(config);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<Delivery> sent = new ArrayList<>();
    try (KafkaDeliveryBus bus = KafkaDeliveryBus.create(config, registry)) {
      for (int seq = 1; seq <= 20; seq++) {
        sent.add(message(42, seq, seq % 2 == 0 ? 7 : 8));
        bus.publish(sent.getLast());
      }
      sent.add(readMarker(9, 77));
      bus.publish(sent.getLast());
      bus.flush();
    }
    assertThat(registry.counter("parley.bus.kafka.sent").count()).isEqualTo(21);
    assertThat(registry.counter("parley.bus.kafka.failed").count()).isZero();

    List<ConsumerRecord<String, byte[]>> records = consumeAll("bus", 21);

    List<ConsumerRecord<String, byte[]>> conversation =
        records.stream().filter(r -> "42".equals(r.key())).toList();
    assertThat(conversation).hasSize(20);
    assertThat(conversation.stream().map(ConsumerRecord::partition).distinct()).hasSize(1);
    assertThat(conversation.stream().map(r -> parse(r.value())).toList())
        .isEqualTo(sent.subList(0, 20));
    ConsumerRecord<String, byte[]> marker =
        records.stream().filter(r -> !"42".equals(r.key())).findFirst().orElseThrow();
    assertThat(marker.key()).isEqualTo("9");
    assertThat(parse(marker.value())).isEqualTo(sent.getLast());
  }

  private static List<ConsumerRecord<String, byte[]>> consumeAll(String topic, int count) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "bus-it-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInSameThread()
          .pollInterval(Duration.ofMillis(10))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= count;
              });
    }
    assertThat(records).hasSize(count);
    return records;
  }

  private static Delivery parse(byte[] bytes) {
    try {
      return Delivery.parseFrom(bytes);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  private static Delivery message(long conversation, long seq, long firstUser) {
    return Delivery.newBuilder()
        .addUserIds(firstUser)
        .addUserIds(3)
        .addUserPts(seq)
        .addUserPts(100 + seq)
        .setEvent(
            Event.newBuilder()
                .setUpdate(
                    Update.newBuilder()
                        .setMessage(
                            Message.newBuilder().setConversationId(conversation).setSeq(seq))))
        .build();
  }

  private static Delivery readMarker(long user, long conversation) {
    return Delivery.newBuilder()
        .addUserIds(user)
        .addUserPts(5)
        .setEvent(
            Event.newBuilder()
                .setUpdate(
                    Update.newBuilder()
                        .setReadMarker(ReadMarker.newBuilder().setConversationId(conversation))))
        .build();
  }
}
