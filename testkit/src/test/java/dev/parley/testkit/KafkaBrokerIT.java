package dev.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaBrokerIT {
  @RegisterExtension static final KafkaExtension kafka = new KafkaExtension();

  @Test
  void producesAndConsumes() throws Exception {
    kafka.createTopic("plain", 2);
    produce("plain", "a", "b", "c");
    try (KafkaConsumer<String, String> consumer = consumer("plain-group")) {
      consumer.subscribe(List.of("plain"));
      assertThat(consumeValues(consumer, 3)).containsExactlyInAnyOrder("a", "b", "c");
    }
  }

  @Test
  void gracefulRestartKeepsTopicsRecordsAndCommittedOffsets() throws Exception {
    kafka.createTopic("restart", 1);
    produce("restart", "1", "2", "3", "4");
    try (KafkaConsumer<String, String> consumer = consumer("restart-group")) {
      consumer.subscribe(List.of("restart"));
      assertThat(consumeValues(consumer, 4)).containsExactly("1", "2", "3", "4");
      consumer.commitSync();
    }
    produce("restart", "5");

    kafka.broker().restart();

    assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + kafka.broker().port());
    try (var admin = kafka.admin()) {
      assertThat(admin.listTopics().names().get()).contains("restart");
    }
    produce("restart", "6");
    try (KafkaConsumer<String, String> consumer = consumer("restart-group")) {
      consumer.subscribe(List.of("restart"));
      // The group's committed offset survived: it resumes after "4".
      assertThat(consumeValues(consumer, 2)).containsExactly("5", "6");
    }
  }

  @Test
  void killAndStartKeepAcknowledgedRecords() throws Exception {
    kafka.createTopic("crash", 1);
    produce("crash", "x", "y");

    kafka.broker().kill();
    assertThat(kafka.broker().isRunning()).isFalse();
    kafka.broker().start();

    produce("crash", "z");
    try (KafkaConsumer<String, String> consumer = consumer("crash-group")) {
      consumer.subscribe(List.of("crash"));
      assertThat(consumeValues(consumer, 3)).containsExactly("x", "y", "z");
    }
  }

  private static void produce(String topic, String... values)
      throws ExecutionException, InterruptedException {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
      for (String v : values) producer.send(new ProducerRecord<>(topic, "k", v)).get();
    }
  }

  private static KafkaConsumer<String, String> consumer(String group) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            group,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            "false",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class));
  }

  /** Polls until exactly {@code count} records arrived (and no more within the last poll). */
  private static List<String> consumeValues(KafkaConsumer<String, String> consumer, int count) {
    List<String> values = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInSameThread()
        .pollInterval(Duration.ofMillis(10))
        .until(
            () -> {
              for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200)))
                values.add(r.value());
              return values.size() >= count;
            });
    assertThat(values).hasSize(count);
    return values;
  }
}
