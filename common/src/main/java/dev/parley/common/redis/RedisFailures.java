package dev.parley.common.redis;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Counts Redis failures ({@code parley.redis.failures}, tagged by use and operation) and logs them
 * without flooding: while Redis is down every request fails, so at most one warning per {@link
 * #WARN_EVERY_NANOS} per use is written, the rest at debug. The counter is what alerts should
 * watch.
 */
final class RedisFailures {
  private static final long WARN_EVERY_NANOS = 10_000_000_000L;

  private final MeterRegistry meters;
  private final String use;
  private final Logger log;
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final AtomicLong lastWarn = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

  RedisFailures(MeterRegistry meters, String use, Logger log) {
    this.meters = meters;
    this.use = use;
    this.log = log;
  }

  /**
   * @param consequence what happened because of it, for the log ("allowed", "entry not written")
   */
  void record(String op, Throwable failure, String consequence) {
    counters
        .computeIfAbsent(
            op,
            o ->
                Counter.builder("parley.redis.failures")
                    .description(
                        "Redis commands that failed (not connected, timed out, error reply)")
                    .tag("use", use)
                    .tag("op", o)
                    .register(meters))
        .increment();
    Throwable cause = RedisClients.asRedisException(failure);
    long now = System.nanoTime();
    long last = lastWarn.get();
    if (now - last >= WARN_EVERY_NANOS && lastWarn.compareAndSet(last, now)) {
      log.warn(
          "Redis {} {} failed ({}): {}; further failures within 10 s are logged at debug",
          use,
          op,
          consequence,
          cause.toString());
    } else {
      log.debug("Redis {} {} failed ({}): {}", use, op, consequence, cause.toString());
    }
  }
}
