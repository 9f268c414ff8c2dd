package dev.parley.msg;

import dev.parley.common.redis.RedisClients;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Which cache of the conversations' newest entries {@link MsgModule} builds (see
 * dev.parley.msg.core.NewestEntries): {@link #none()} on a single node, where PostgreSQL is close
 * anyway, or {@link #redis} in a cluster.
 *
 * @param redis the cluster's Redis; null for no cache
 * @param size entries kept per conversation; the default history page (50) needs 51 to be answered
 *     with its {@code more} flag from the cache alone, or 50 plus the knowledge that older ones
 *     exist, which the cache keeps
 * @param ttl how long a conversation stays cached after its last write
 * @param readTimeout how long a read waits for Redis before reading PostgreSQL instead; well above
 *     a healthy Redis's round trip, well below the cost of a slow request
 */
public record RecentCache(
    @Nullable RedisClients redis, int size, Duration ttl, Duration readTimeout) {
  public static final int DEFAULT_SIZE = 50;
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofMillis(50);

  public RecentCache {
    if (size < 1 || size > 1000)
      throw new IllegalArgumentException("recent cache size must be 1..1000: " + size);
    if (ttl.isNegative() || ttl.isZero())
      throw new IllegalArgumentException("recent cache ttl must be > 0");
    if (readTimeout.isNegative() || readTimeout.isZero())
      throw new IllegalArgumentException("recent cache read timeout must be > 0");
  }

  public static RecentCache none() {
    return new RecentCache(null, DEFAULT_SIZE, DEFAULT_TTL, DEFAULT_READ_TIMEOUT);
  }

  /** The cache in Redis with the defaults: 50 entries, 10 minutes, 50 ms. */
  public static RecentCache redis(RedisClients redis) {
    return new RecentCache(redis, DEFAULT_SIZE, DEFAULT_TTL, DEFAULT_READ_TIMEOUT);
  }

  public boolean enabled() {
    return redis != null;
  }
}
