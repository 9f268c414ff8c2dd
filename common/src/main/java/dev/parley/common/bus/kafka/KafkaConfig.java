package dev.parley.common.bus.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The cluster's Kafka: where it is, the delivery topic and the settings of our clients.
 *
 * @param bootstrapServers {@code host:port,host:port}
 * @param topic the delivery topic, {@value #DEFAULT_TOPIC} unless configured
 * @param partitions the partition count the topic is created with (see {@link KafkaTopics#ensure})
 * @param replicationFactor the replication factor the topic is created with (3 in production, 1 for
 *     a single broker)
 * @param clientId the client id prefix, e.g. {@code parley-msg-1}; shows in broker logs and metrics
 * @param properties extra client settings (security, tuning). A key prefixed with {@code
 *     producer.}, {@code consumer.} or {@code admin.} applies only to that client, without the
 *     prefix; any other key applies to all three. They override our defaults.
 */
public record KafkaConfig(
    String bootstrapServers,
    String topic,
    int partitions,
    short replicationFactor,
    String clientId,
    Map<String, String> properties) {
  public static final String DEFAULT_TOPIC = "parley.deliveries";

  private static final String[] CLIENT_PREFIXES = {"producer.", "consumer.", "admin."};

  public KafkaConfig {
    if (bootstrapServers == null || bootstrapServers.isBlank())
      throw new IllegalArgumentException("kafka bootstrap servers are required");
    if (topic == null || topic.isBlank())
      throw new IllegalArgumentException("kafka topic is required");
    if (partitions < 1)
      throw new IllegalArgumentException("kafka partitions must be at least 1, got " + partitions);
    if (replicationFactor < 1)
      throw new IllegalArgumentException(
          "kafka replication factor must be at least 1, got " + replicationFactor);
    Objects.requireNonNull(clientId, "clientId");
    properties = Map.copyOf(properties);
  }

  /**
   * The delivery topic with 12 partitions and replication factor 1: a single broker (development,
   * tests).
   */
  public static KafkaConfig of(String bootstrapServers, String clientId) {
    return new KafkaConfig(bootstrapServers, DEFAULT_TOPIC, 12, (short) 1, clientId, Map.of());
  }

  public KafkaConfig withTopic(String newTopic) {
    return new KafkaConfig(
        bootstrapServers, newTopic, partitions, replicationFactor, clientId, properties);
  }

  /**
   * The publishing side. Idempotent with acks=all: a retried batch is written once and in order.
   * The buffer is bounded ({@code buffer.memory}, 32 MiB) and a full buffer or unknown topic
   * metadata makes {@code send} wait at most {@code max.block.ms} (1 s) before failing the record:
   * a service's thread never waits longer than that for Kafka. A record not acknowledged within
   * {@code delivery.timeout.ms} (30 s, retries included) fails: live events older than that are not
   * worth more waiting, the feed has them.
   */
  public Map<String, Object> producerProperties() {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-producer");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 32L * 1024 * 1024);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    p.putAll(extra("producer."));
    return p;
  }

  /**
   * The consuming side: manual commits only, and a new group starts from the oldest retained record
   * (the topic's retention, not the consumer, decides how far back live events are worth
   * replaying).
   */
  public Map<String, Object> consumerProperties(String groupId) {
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-consumer");
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    p.putAll(extra("consumer."));
    return p;
  }

  public Map<String, Object> adminProperties() {
    Map<String, Object> p = new HashMap<>();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-admin");
    p.putAll(extra("admin."));
    return p;
  }

  private Map<String, Object> extra(String prefix) {
    Map<String, Object> common = new HashMap<>();
    Map<String, Object> own = new HashMap<>();
    properties.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            own.put(k.substring(prefix.length()), v);
          } else if (!hasClientPrefix(k)) {
            common.put(k, v);
          }
        });
    common.putAll(own);
    return common;
  }

  private static boolean hasClientPrefix(String key) {
    for (String prefix : CLIENT_PREFIXES) if (key.startsWith(prefix)) return true;
    return false;
  }
}
