package dev.parley.common.redis;

import dev.parley.common.ratelimit.LocalRateLimiter;
import dev.parley.common.ratelimit.RateLimiter;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's rate limiter: exactly {@link LocalRateLimiter}'s generic cell-rate algorithm (a
 * burst of {@code permits}, refilling evenly over {@code window}, the wait returned on refusal),
 * with the state in Redis so that every instance draws from the same bucket.
 *
 * <p>Redis keys:
 *
 * <ul>
 *   <li>{@code parley:rl:<key>} (string): the key's theoretical arrival time (TAT), in microseconds
 *       since the epoch on Redis's clock. It expires when the TAT passes, because from then on it
 *       carries no information: a missing key and a TAT in the past both mean "the whole burst is
 *       available". A refused acquire writes nothing, so it neither moves the TAT nor the expiry.
 * </ul>
 *
 * <p>One acquire is one Lua script, so the read-compare-write is atomic across instances: with
 * {@code interval = window / permits} and {@code tolerance = window - interval}, {@code tat =
 * max(stored, now)}; if {@code tat - now > tolerance} the answer is the wait {@code tat - tolerance
 * - now}, else {@code tat + interval} is stored and the answer is 0.
 *
 * <p><b>Clock: Redis's.</b> The script reads {@code TIME} itself rather than taking the caller's
 * time. A bucket is written by many instances; judged against each caller's own clock, an instance
 * running ahead would find TATs already passed (extra permits) and one running behind would refuse
 * for longer and report inflated waits. With one clock for every comparison, skew between instances
 * does not matter. (Redis 7 replicates a script's effects, not the script, so reading {@code TIME}
 * before writing is allowed.) The price: tests cannot inject a clock and use short real windows
 * instead.
 *
 * <p><b>Redis unreachable: fail open.</b> Rate limits protect the service from abuse; they are not
 * a correctness property, and refusing every login and code request while Redis is away would turn
 * a Redis hiccup into a full outage. So a failed acquire (not connected: immediate; no answer:
 * after the command timeout) is allowed, counted in {@code parley.redis.failures{use=ratelimit}}
 * and logged (throttled). A failed {@link #reset} is likewise only counted and logged: the key then
 * ends its life by expiring.
 */
public final class RedisRateLimiter implements RateLimiter {
  private static final Logger log = LoggerFactory.getLogger(RedisRateLimiter.class);

  /** KEYS[1] = bucket; ARGV[1] = interval (µs), ARGV[2] = tolerance (µs). Returns the wait (µs). */
  private static final RedisScript ACQUIRE =
      new RedisScript(
          """
          local t = redis.call('TIME')
          local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
          local interval = tonumber(ARGV[1])
          local tolerance = tonumber(ARGV[2])
          local tat = tonumber(redis.call('GET', KEYS[1]) or now)
          if tat < now then tat = now end
          if tat - now > tolerance then
            return tat - tolerance - now
          end
          local new_tat = tat + interval
          redis.call('SET', KEYS[1], string.format('%d', new_tat), 'PX', math.max(1, math.ceil((new_tat - now) / 1000)))
          return 0
          """);

  private final RedisClients redis;
  private final RedisFailures failures;

  public RedisRateLimiter(RedisClients redis, MeterRegistry meters) {
    this.redis = redis;
    this.failures = new RedisFailures(meters, "ratelimit", log);
  }

  @Override
  public Duration acquire(String key, Limit limit) {
    long window = limit.window().toNanos() / 1000;
    long interval = window / limit.permits();
    long tolerance = window - interval;
    try {
      Long waitMicros =
          redis.await(
              ACQUIRE.<Long>run(
                  redis.async(),
                  ScriptOutputType.INTEGER,
                  bucket(key),
                  Long.toString(interval),
                  Long.toString(tolerance)));
      return waitMicros == null || waitMicros <= 0
          ? Duration.ZERO
          : Duration.ofNanos(waitMicros * 1000);
    } catch (RedisException e) {
      failures.record("acquire", e, "allowed");
      return Duration.ZERO;
    }
  }

  @Override
  public void reset(String key) {
    try {
      redis.await(redis.async().del(bucket(key)));
    } catch (RedisException e) {
      failures.record("reset", e, "key left to expire");
    }
  }

  private String bucket(String key) {
    return redis.key("rl:" + key);
  }
}
