package dev.parley.common.redis;

import java.time.Duration;

/**
 * Where Redis is and how long to wait for it.
 *
 * @param uri {@code redis://[:password@]host:port[/db]} ({@code rediss://} for TLS)
 * @param connectTimeout how long opening a connection may take
 * @param commandTimeout how long one command (or one pipelined batch) may take before it counts as
 *     failed; request paths wait at most this long for Redis
 * @param maxReconnectDelay the ceiling of the jittered exponential back-off between reconnect
 *     attempts after the connection drops; low, because Redis is on the private network and every
 *     second without it is a second of fail-open rate limits and missing presence writes
 * @param keyPrefix prepended to every key, so that one Redis can hold several deployments
 */
public record RedisConfig(
    String uri,
    Duration connectTimeout,
    Duration commandTimeout,
    Duration maxReconnectDelay,
    String keyPrefix) {

  public static final String DEFAULT_KEY_PREFIX = "parley:";

  public RedisConfig {
    if (uri == null || uri.isBlank()) throw new IllegalArgumentException("redis uri must be set");
    requirePositive("connect-timeout", connectTimeout);
    requirePositive("command-timeout", commandTimeout);
    requirePositive("max-reconnect-delay", maxReconnectDelay);
    if (keyPrefix == null) keyPrefix = DEFAULT_KEY_PREFIX;
  }

  /**
   * The defaults: 2 s to connect, 1 s per command, reconnect at least every 2 s, "parley:" keys.
   */
  public static RedisConfig of(String uri) {
    return new RedisConfig(
        uri,
        Duration.ofSeconds(2),
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        DEFAULT_KEY_PREFIX);
  }

  private static void requirePositive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("redis " + name + " must be > 0");
    }
  }
}
