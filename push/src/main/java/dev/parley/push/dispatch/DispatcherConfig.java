package dev.parley.push.dispatch;

import java.time.Duration;

/**
 * How the dispatcher works.
 *
 * @param groupId the consumer group; every dispatcher of a cluster shares it, so each partition has
 *     one reader
 * @param pollTimeout how long one poll waits for records
 * @param deliverDeadline the deadline of one {@code Deliver} call to a gateway; past it the gateway
 *     is counted as failed for this batch
 * @param failedGatewayPause after a gateway missed a deadline, how long its calls are skipped (a
 *     hung gateway would otherwise cost every batch a full deadline)
 * @param commitTimeout how long an offset commit may wait for the broker
 * @param channelIdleTimeout a channel to a gateway unused this long is closed
 * @param maxRequestBytes the serialized size above which one batch's deliveries for a gateway are
 *     split into several consecutive calls (below gRPC's default 4 MiB inbound limit)
 */
public record DispatcherConfig(
    String groupId,
    Duration pollTimeout,
    Duration deliverDeadline,
    Duration failedGatewayPause,
    Duration commitTimeout,
    Duration channelIdleTimeout,
    int maxRequestBytes) {
  public static final String DEFAULT_GROUP = "parley-dispatcher";

  public DispatcherConfig {
    if (groupId == null || groupId.isBlank())
      throw new IllegalArgumentException("dispatcher group id is required");
    requirePositive("poll timeout", pollTimeout);
    requirePositive("deliver deadline", deliverDeadline);
    requirePositive("commit timeout", commitTimeout);
    requirePositive("channel idle timeout", channelIdleTimeout);
    if (failedGatewayPause == null || failedGatewayPause.isNegative())
      throw new IllegalArgumentException("failed gateway pause must be >= 0");
    if (maxRequestBytes < 1024)
      throw new IllegalArgumentException("max request bytes must be at least 1024");
  }

  public static DispatcherConfig defaults() {
    return new DispatcherConfig(
        DEFAULT_GROUP,
        Duration.ofMillis(500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofMinutes(5),
        1024 * 1024);
  }

  public DispatcherConfig withGroupId(String newGroupId) {
    return new DispatcherConfig(
        newGroupId,
        pollTimeout,
        deliverDeadline,
        failedGatewayPause,
        commitTimeout,
        channelIdleTimeout,
        maxRequestBytes);
  }

  private static void requirePositive(String what, Duration d) {
    if (d == null || d.isZero() || d.isNegative())
      throw new IllegalArgumentException(what + " must be positive");
  }
}
