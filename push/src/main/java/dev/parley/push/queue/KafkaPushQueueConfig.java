package dev.parley.push.queue;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the cluster's push queue ({@link KafkaPushQueue}); where Kafka is comes from the
 * cluster's {@code KafkaConfig}.
 *
 * @param topic the push topic, {@value #DEFAULT_TOPIC} unless configured
 * @param partitions the partition count the topic is created with (an existing topic keeps its own)
 * @param replicationFactor the replication factor the topic is created with
 * @param groupId the push workers' consumer group, {@value #DEFAULT_GROUP} unless configured
 * @param maxPending unfinished jobs a worker holds before it pauses its partitions; also the most
 *     records one poll returns, so a worker never holds more than twice this many
 * @param resumeBelow paused partitions resume when fewer jobs than this are unfinished (a low-water
 *     mark under {@code maxPending}, so a worker does not flap between paused and running)
 * @param publishQueue jobs waiting for the producer thread; beyond this, {@code offer} drops
 * @param pollTimeout how long one poll waits for records; finished jobs are committed between polls
 * @param commitInterval the least time between two commits of advanced offsets
 */
public record KafkaPushQueueConfig(
    String topic,
    int partitions,
    short replicationFactor,
    String groupId,
    int maxPending,
    int resumeBelow,
    int publishQueue,
    Duration pollTimeout,
    Duration commitInterval) {
  public static final String DEFAULT_TOPIC = "parley.push";
  public static final String DEFAULT_GROUP = "parley-push";

  public KafkaPushQueueConfig {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(pollTimeout, "pollTimeout");
    Objects.requireNonNull(commitInterval, "commitInterval");
    if (partitions < 1) throw new IllegalArgumentException("partitions must be at least 1");
    if (replicationFactor < 1)
      throw new IllegalArgumentException("replication factor must be at least 1");
    if (maxPending < 1) throw new IllegalArgumentException("max-pending must be at least 1");
    if (resumeBelow < 1 || resumeBelow > maxPending)
      throw new IllegalArgumentException(
          "resume-below must be between 1 and max-pending ("
              + maxPending
              + "), got "
              + resumeBelow);
    if (publishQueue < 1) throw new IllegalArgumentException("publish-queue must be at least 1");
  }

  /**
   * Production defaults with the given topic shape: 10,000 pending jobs (resume below 5,000), a
   * publish queue of 50,000 jobs, 100 ms polls, commits at most once a second.
   */
  public static KafkaPushQueueConfig defaults(int partitions, short replicationFactor) {
    return new KafkaPushQueueConfig(
        DEFAULT_TOPIC,
        partitions,
        replicationFactor,
        DEFAULT_GROUP,
        10_000,
        5_000,
        50_000,
        Duration.ofMillis(100),
        Duration.ofSeconds(1));
  }
}
