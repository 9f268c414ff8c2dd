package dev.parley.push.dispatch;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** What a consumer group has committed, and how far the log goes. */
final class Offsets {
  private Offsets() {}

  /**
   * The sum of the group's committed offsets over the topic's partitions (0 when nothing is
   * committed).
   */
  static long committed(Admin admin, String group, String topic)
      throws ExecutionException, InterruptedException {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    return offsets.entrySet().stream()
        .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
        .mapToLong(e -> e.getValue().offset())
        .sum();
  }

  /** The sum of the topic's log-end offsets: the number of records ever written to it. */
  static long end(Admin admin, String topic) throws ExecutionException, InterruptedException {
    int partitions =
        admin
            .describeTopics(java.util.List.of(topic))
            .allTopicNames()
            .get()
            .get(topic)
            .partitions()
            .size();
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (int p = 0; p < partitions; p++)
      request.put(new TopicPartition(topic, p), OffsetSpec.latest());
    return admin.listOffsets(request).all().get().values().stream()
        .mapToLong(i -> i.offset())
        .sum();
  }
}
