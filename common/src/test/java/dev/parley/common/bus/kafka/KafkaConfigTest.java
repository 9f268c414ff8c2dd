package dev.parley.common.bus.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaConfigTest {
  private final KafkaConfig config =
      new KafkaConfig(
          "k1:9092",
          "deliveries",
          6,
          (short) 3,
          "msg-1",
          Map.of(
              "security.protocol", "SSL",
              "producer.linger.ms", "20",
              "consumer.max.poll.records", "100",
              "admin.request.timeout.ms", "1000"));

  @Test
  void prefixedPropertiesApplyToTheirClientOnlyAndOverrideDefaults() {
    assertThat(config.producerProperties())
        .containsEntry("linger.ms", "20")
        .containsEntry("security.protocol", "SSL")
        .containsEntry("acks", "all")
        .containsEntry("enable.idempotence", true)
        .doesNotContainKeys("max.poll.records", "producer.linger.ms");
    assertThat(config.consumerProperties("g"))
        .containsEntry("group.id", "g")
        .containsEntry("enable.auto.commit", false)
        .containsEntry("max.poll.records", "100")
        .containsEntry("security.protocol", "SSL")
        .doesNotContainKey("linger.ms");
    assertThat(config.adminProperties())
        .containsEntry("request.timeout.ms", "1000")
        .containsEntry("client.id", "msg-1-admin");
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> new KafkaConfig(" ", "t", 1, (short) 1, "c", Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KafkaConfig("b:1", "t", 0, (short) 1, "c", Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KafkaConfig("b:1", "t", 1, (short) 0, "c", Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(KafkaConfig.of("b:1", "c").topic()).isEqualTo("parley.deliveries");
  }
}
