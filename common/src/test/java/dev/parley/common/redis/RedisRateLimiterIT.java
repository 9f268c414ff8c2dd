package dev.parley.common.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.common.ratelimit.LocalRateLimiter;
import dev.parley.common.ratelimit.RateLimiter.Limit;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RedisRateLimiter} against a real Redis. The limiter reads Redis's clock, so refills are
 * tested with short real windows, and the exact semantics by comparison with {@link
 * LocalRateLimiter} over windows so long that the few milliseconds a test takes do not matter.
 */
class RedisRateLimiterIT {
  @RegisterExtension static final EmbeddedRedis redis = new EmbeddedRedis();

  private static RedisClients clients;
  private static SimpleMeterRegistry meters;
  private static RedisRateLimiter limiter;

  @BeforeAll
  static void connect() {
    clients = redis.connect("rl-test:");
    meters = new SimpleMeterRegistry();
    limiter = new RedisRateLimiter(clients, meters);
  }

  @AfterAll
  static void close() {
    clients.close();
  }

  private static String key() {
    return UUID.randomUUID().toString();
  }

  @Test
  void allowsABurstThenRefusesWithTheWait() {
    String k = key();
    Limit limit = new Limit(5, Duration.ofMinutes(5)); // one permit per minute, burst of 5
    for (int i = 0; i < 5; i++) assertThat(limiter.acquire(k, limit)).isZero();
    Duration wait = limiter.acquire(k, limit);
    assertThat(wait)
        .isLessThanOrEqualTo(Duration.ofMinutes(1))
        .isGreaterThan(Duration.ofSeconds(59));
    // A refusal takes nothing: the next one waits no longer.
    assertThat(limiter.acquire(k, limit)).isLessThanOrEqualTo(wait).isPositive();
  }

  @Test
  void answersLikeTheLocalLimiter() {
    Instant frozen = Instant.now();
    LocalRateLimiter local = new LocalRateLimiter(Clock.fixed(frozen, ZoneOffset.UTC));
    List<Limit> limits =
        List.of(
            new Limit(1, Duration.ofHours(1)),
            new Limit(3, Duration.ofHours(1)),
            new Limit(7, Duration.ofDays(1)),
            new Limit(10, Duration.ofMinutes(10)),
            new Limit(60, Duration.ofHours(2)));
    for (Limit limit : limits) {
      String k = key();
      for (int i = 0; i < limit.permits() + 3; i++) {
        Duration expected = local.acquire(k, limit);
        Duration actual = limiter.acquire(k, limit);
        if (expected.isZero()) {
          assertThat(actual).as("%s, acquire %d", limit, i).isZero();
        } else {
          // Redis's clock moved on by the time this test has taken; the local one did not.
          assertThat(actual)
              .as("%s, acquire %d", limit, i)
              .isLessThanOrEqualTo(expected)
              .isGreaterThan(expected.minusSeconds(5));
        }
      }
    }
  }

  @Test
  void refillsEvenlyOverTheWindow() {
    String k = key();
    Limit limit = new Limit(3, Duration.ofMillis(600)); // one permit per 200 ms
    for (int i = 0; i < 3; i++) assertThat(limiter.acquire(k, limit)).isZero();
    Duration wait = limiter.acquire(k, limit);
    assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofMillis(200));
    await()
        .atMost(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> limiter.acquire(k, limit).isZero());
    // One permit came back, not the burst.
    assertThat(limiter.acquire(k, limit)).isPositive();
  }

  @Test
  void keysAreIndependentAndResettable() {
    Limit one = new Limit(1, Duration.ofHours(1));
    String a = key();
    String b = key();
    assertThat(limiter.acquire(a, one)).isZero();
    assertThat(limiter.acquire(a, one)).isPositive();
    assertThat(limiter.acquire(b, one)).isZero();
    limiter.reset(a);
    assertThat(limiter.acquire(a, one)).isZero();
    assertThat(limiter.acquire(b, one)).isPositive();
  }

  @Test
  void manyKeysEachGetTheirOwnBurst() {
    Limit two = new Limit(2, Duration.ofHours(1));
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 500; i++) keys.add(key());
    for (String k : keys) assertThat(limiter.acquire(k, two)).isZero();
    for (String k : keys) assertThat(limiter.acquire(k, two)).isZero();
    for (String k : keys) assertThat(limiter.acquire(k, two)).isPositive();
  }

  @Test
  void concurrentAcquiresNeverExceedTheBurst() throws Exception {
    String k = key();
    Limit limit = new Limit(100, Duration.ofHours(1));
    int threads = 8;
    int perThread = 40;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Callable<Integer>> tasks = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        tasks.add(
            () -> {
              int allowed = 0;
              for (int i = 0; i < perThread; i++) if (limiter.acquire(k, limit).isZero()) allowed++;
              return allowed;
            });
      }
      int allowed = 0;
      for (Future<Integer> f : pool.invokeAll(tasks)) allowed += f.get();
      assertThat(allowed).isEqualTo(100);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void keysExpireWhenTheyCarryNoInformation() {
    String k = key();
    String redisKey = "rl-test:rl:" + k;
    Limit limit = new Limit(2, Duration.ofMillis(400)); // one permit per 200 ms
    assertThat(limiter.acquire(k, limit)).isZero();
    // The TAT is now + 200 ms: the key lives exactly that long.
    assertThat(redis.admin().pttl(redisKey)).isBetween(1L, 200L);
    assertThat(limiter.acquire(k, limit)).isZero();
    assertThat(limiter.acquire(k, limit)).isPositive();
    assertThat(redis.admin().pttl(redisKey)).isBetween(1L, 400L);
    await()
        .atMost(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> redis.admin().exists(redisKey) == 0);
    assertThat(limiter.acquire(k, limit)).isZero();
  }

  @Test
  void survivesAFlushedScriptCache() {
    String k = key();
    Limit one = new Limit(1, Duration.ofHours(1));
    assertThat(limiter.acquire(k, one)).isZero();
    redis.admin().scriptFlush();
    assertThat(limiter.acquire(k, one)).isPositive(); // EVALSHA failed, EVAL ran it
    assertThat(limiter.acquire(key(), one)).isZero();
  }

  @Test
  void failsOpenWhileRedisIsDownAndRecovers() {
    String k = key();
    Limit one = new Limit(1, Duration.ofHours(1));
    assertThat(limiter.acquire(k, one)).isZero();
    assertThat(limiter.acquire(k, one)).isPositive();
    redis.stop();
    try {
      long start = System.nanoTime();
      for (int i = 0; i < 5; i++) assertThat(limiter.acquire(k, one)).isZero();
      limiter.reset(k); // does not throw either
      // Refused at once while disconnected: no waiting for the command timeout on each call.
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      assertThat(
              meters.counter("parley.redis.failures", "use", "ratelimit", "op", "acquire").count())
          .isGreaterThanOrEqualTo(5);
    } finally {
      redis.start();
    }
    // Reconnected: limits apply again (the restarted Redis remembers nothing: a fresh burst).
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> !limiter.acquire(k, one).isZero());
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> "PONG".equals(redis.admin().ping()));
  }
}
