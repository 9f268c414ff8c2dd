package dev.parley.common.bus.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the topics we need at start, so that brokers can run with auto-creation off. */
public final class KafkaTopics {
  private static final Logger log = LoggerFactory.getLogger(KafkaTopics.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private KafkaTopics() {}

  /** {@link #ensure(Admin, String, int, short)} for the delivery topic of {@code config}. */
  public static int ensure(KafkaConfig config) {
    try (Admin admin = Admin.create(config.adminProperties())) {
      return ensure(admin, config.topic(), config.partitions(), config.replicationFactor());
    }
  }

  /**
   * Creates the topic if it does not exist. If it does, its partition count is left alone even when
   * it differs from {@code partitions} (a warning says so): adding partitions moves keys to other
   * partitions, which would break the per-conversation order of the deliveries in flight, so that
   * is an operator's decision. Instances starting together may race to create it: the loser sees
   * {@link TopicExistsException} and uses the winner's topic.
   *
   * @return the topic's actual partition count
   */
  public static int ensure(Admin admin, String name, int partitions, short replicationFactor) {
    Optional<TopicDescription> existing = describe(admin, name);
    if (existing.isEmpty()) {
      try {
        // Live events older than an hour help nobody (devices have them in their feeds), and a new
        // dispatcher group starts from the oldest record kept: keep the topic short.
        NewTopic topic =
            new NewTopic(name, partitions, replicationFactor)
                .configs(java.util.Map.of("retention.ms", "3600000"));
        get(admin.createTopics(List.of(topic)).all(), name);
        log.info(
            "Created Kafka topic {} ({} partitions, replication factor {})",
            name,
            partitions,
            replicationFactor);
        return partitions;
      } catch (TopicExistsException raced) {
        existing = describe(admin, name);
        if (existing.isEmpty())
          throw new IllegalStateException(
              "Kafka topic " + name + " exists but cannot be described");
      }
    }
    TopicDescription topic = existing.get();
    int actual = topic.partitions().size();
    if (actual != partitions) {
      log.warn(
          "Kafka topic {} has {} partitions, configured {}: left as it is (adding partitions reorders keys in flight)",
          name,
          actual,
          partitions);
    }
    int replicas = topic.partitions().isEmpty() ? 0 : topic.partitions().get(0).replicas().size();
    if (replicas != replicationFactor) {
      log.warn(
          "Kafka topic {} has replication factor {}, configured {}",
          name,
          replicas,
          replicationFactor);
    }
    return actual;
  }

  private static Optional<TopicDescription> describe(Admin admin, String name) {
    try {
      return Optional.ofNullable(
          get(admin.describeTopics(List.of(name)).allTopicNames(), name).get(name));
    } catch (UnknownTopicOrPartitionException e) {
      return Optional.empty();
    }
  }

  /**
   * Waits for an admin result; Kafka's own exceptions (unwrapped) propagate, the rest is wrapped.
   */
  private static <T> T get(KafkaFuture<T> future, String topic) {
    try {
      return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof KafkaException k) throw k;
      throw new IllegalStateException(
          "Kafka admin call for topic " + topic + " failed", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka did not answer within " + TIMEOUT + " about topic " + topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while ensuring Kafka topic " + topic, e);
    }
  }
}
