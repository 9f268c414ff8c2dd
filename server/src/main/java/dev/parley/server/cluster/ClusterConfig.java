package dev.parley.server.cluster;

import java.time.Duration;

/**
 * The {@code cluster} section: how the processes of a cluster find each other and the shared
 * stores. Unused by the single node.
 *
 * @param grpcPort this process's gRPC server (services, and a gateway's delivery endpoint); 0 = any
 * @param advertiseHost the address other processes use to reach this one
 * @param userService gRPC target of the user service: {@code static:///h1:9000,h2:9000} or {@code
 *     dns:///name:9000}
 * @param msgService gRPC target of the message service
 */
public record ClusterConfig(
    int grpcPort,
    String advertiseHost,
    String userService,
    String msgService,
    Tls tls,
    Kafka kafka,
    Redis redis,
    Presence presence) {

  /** mTLS between the processes: each presents its certificate and trusts the CA's. */
  public record Tls(boolean enabled, String certFile, String keyFile, String caFile) {}

  /**
   * @param properties extra Kafka client settings ({@code producer.}/{@code consumer.}/{@code
   *     admin.} prefixes for one client only), e.g. security.protocol and SASL for a managed Kafka
   */
  public record Kafka(
      String bootstrapServers,
      String topic,
      int partitions,
      short replicationFactor,
      Duration sessionTimeout,
      java.util.Map<String, String> properties) {}

  /**
   * @param recentCache cache each conversation's newest entries in Redis (see design.md §9)
   */
  public record Redis(String uri, boolean recentCache) {}

  /**
   * How long a gateway's presence entries live without refresh, and how often it refreshes them.
   */
  public record Presence(Duration ttl, Duration refreshInterval) {}
}
