package dev.parley.common.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.common.error.ParleyException;
import dev.parley.proto.client.Error.Reason;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/**
 * A process of a cluster may start before Redis does (nothing orders them), or on a machine so busy
 * that one connect attempt times out: it waits for Redis instead of dying at start-up (seen in a
 * local cluster whose user process exited with "Cannot connect to Redis" while Redis was starting).
 */
class RedisStartupIT {
  @Test
  void aProcessStartedBeforeRedisConnectsOnceRedisIsUp() throws Exception {
    int port = freePort();
    RedisConfig config = RedisConfig.of("redis://127.0.0.1:" + port);
    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      CompletableFuture<RedisClients> connecting =
          CompletableFuture.supplyAsync(
              () -> RedisClients.connectWaiting(config, Duration.ofSeconds(60)), threads);
      Thread.sleep(1500); // several attempts fail meanwhile
      assertThat(connecting).isNotDone();
      RedisServer redis = RedisServer.builder().bind("127.0.0.1").port(port).build();
      redis.start();
      try (RedisClients clients = connecting.get(60, TimeUnit.SECONDS)) {
        assertThat(clients.connection().sync().ping()).isEqualTo("PONG");
      } finally {
        redis.stop();
      }
    }
  }

  @Test
  void itGivesUpWithAClearErrorAfterTheWait() throws IOException {
    int port = freePort();
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                RedisClients.connectWaiting(
                    RedisConfig.of("redis://127.0.0.1:" + port), Duration.ofMillis(700)))
        .isInstanceOfSatisfying(
            ParleyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE))
        .hasMessageContaining("127.0.0.1:" + port);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(700));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
