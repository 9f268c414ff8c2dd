package dev.parley.common.redis;

import dev.parley.common.error.ParleyException;
import dev.parley.proto.client.Error.Reason;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.EpollProvider;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * This process's connection to Redis: one Lettuce client and one shared connection, which Lettuce
 * multiplexes between threads (no pool: none of our commands block the connection, there are no
 * MULTI transactions and every atomic step is a Lua script).
 *
 * <p>Failure behaviour, chosen for a store that is never the only copy of anything (design 9):
 *
 * <ul>
 *   <li>Auto-reconnect is on (Lettuce's default), with a jittered exponential back-off capped at
 *       {@link RedisConfig#maxReconnectDelay()}, so that many instances do not reconnect in step.
 *   <li>While disconnected, commands are <em>rejected at once</em>, where Lettuce by default queues
 *       them until the connection returns: a request path then fails (or fails open) in
 *       microseconds rather than after the command timeout, and nothing piles up in memory.
 *   <li>Every command, synchronous or not, times out after {@link RedisConfig#commandTimeout()}.
 *   <li>A Redis that vanishes without closing the connection (a partition, a dead host) is noticed
 *       by TCP keep-alive probes (after 10 s idle, every 5 s, 3 tries) and by a 15 s TCP user
 *       timeout on unacknowledged writes (epoll only); the connection is then dropped and
 *       reconnected. Until then each command costs the command timeout.
 * </ul>
 *
 * <p>The first connection is made in {@link #connect}; a Redis that is down at start is an error
 * (the process should not come up half working), a Redis that goes away later is not.
 */
public final class RedisClients implements AutoCloseable {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RedisClients.class);

  /** Bounds the commands awaiting a reply; past it new ones are refused instead of buffered. */
  private static final int REQUEST_QUEUE_SIZE = 100_000;

  private final RedisConfig config;
  private final ClientResources resources;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final long awaitMillis;

  private RedisClients(
      RedisConfig config,
      ClientResources resources,
      RedisClient client,
      StatefulRedisConnection<String, String> connection) {
    this.config = config;
    this.resources = resources;
    this.client = client;
    this.connection = connection;
    // The command timeout fails the future itself; the margin only guards against a lost
    // completion.
    this.awaitMillis = config.commandTimeout().toMillis() + 250;
  }

  /**
   * Opens the client and its connection, trying again for up to {@code wait} while Redis cannot be
   * reached: in a cluster nothing orders the start of the processes, and on a busy machine one
   * connect attempt can time out while Redis is fine.
   *
   * @throws ParleyException UNAVAILABLE when Redis could not be reached within {@code wait}
   */
  public static RedisClients connectWaiting(RedisConfig config, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    long pauseMillis = 100;
    for (int attempt = 1; ; attempt++) {
      try {
        return connect(config);
      } catch (ParleyException e) {
        long left = deadline - System.nanoTime();
        if (left <= 0) throw e;
        if (attempt == 1)
          log.warn("{}; trying again for up to {} s", e.getMessage(), wait.toSeconds());
        sleep(Math.min(pauseMillis, TimeUnit.NANOSECONDS.toMillis(left) + 1));
        pauseMillis = Math.min(pauseMillis * 2, 2000);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ParleyException(Reason.UNAVAILABLE, "Interrupted while waiting for Redis");
    }
  }

  /**
   * Opens the client and its connection.
   *
   * @throws ParleyException UNAVAILABLE when Redis cannot be reached now
   */
  public static RedisClients connect(RedisConfig config) {
    RedisURI uri = RedisURI.create(config.uri());
    uri.setTimeout(config.commandTimeout());
    ClientResources resources =
        DefaultClientResources.builder()
            .reconnectDelay(
                Delay.equalJitter(
                    Duration.ofMillis(10), config.maxReconnectDelay(), 10, TimeUnit.MILLISECONDS))
            .build();
    RedisClient client = RedisClient.create(resources, uri);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS)
            .requestQueueSize(REQUEST_QUEUE_SIZE)
            .socketOptions(
                SocketOptions.builder()
                    .connectTimeout(config.connectTimeout())
                    .keepAlive(
                        SocketOptions.KeepAliveOptions.builder()
                            .enable()
                            .idle(Duration.ofSeconds(10))
                            .interval(Duration.ofSeconds(5))
                            .count(3)
                            .build())
                    .tcpUserTimeout(
                        SocketOptions.TcpUserTimeoutOptions.builder()
                            // Lettuce refuses to connect if asked for it without epoll.
                            .enable(EpollProvider.isAvailable())
                            .tcpUserTimeout(Duration.ofSeconds(15))
                            .build())
                    .build())
            .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
            .build());
    try {
      return new RedisClients(config, resources, client, client.connect());
    } catch (RedisException e) {
      client.shutdown();
      resources.shutdown();
      throw new ParleyException(
          Reason.UNAVAILABLE,
          "Cannot connect to Redis at "
              + uri.getHost()
              + ":"
              + uri.getPort()
              + ": "
              + e.getMessage());
    }
  }

  public RedisConfig config() {
    return config;
  }

  public RedisClient client() {
    return client;
  }

  public StatefulRedisConnection<String, String> connection() {
    return connection;
  }

  /** The asynchronous commands of the shared connection (thread-safe; never blocks). */
  public RedisAsyncCommands<String, String> async() {
    return connection.async();
  }

  /** The full key for {@code suffix}: the configured prefix, then the suffix. */
  public String key(String suffix) {
    return config.keyPrefix() + suffix;
  }

  /**
   * Waits for a command (at most the command timeout, plus a small margin).
   *
   * @throws RedisException whatever went wrong: not connected, timed out, interrupted, an error
   *     reply
   */
  public <T> T await(CompletionStage<T> command) {
    try {
      return command.toCompletableFuture().get(awaitMillis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw asRedisException(e.getCause());
    } catch (TimeoutException e) {
      command.toCompletableFuture().cancel(false);
      throw new RedisCommandTimeoutException("No answer from Redis within " + awaitMillis + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RedisCommandInterruptedException(e);
    }
  }

  /** Any failure of a command as the {@link RedisException} it (usually) is. */
  static RedisException asRedisException(@Nullable Throwable t) {
    Throwable cause = t;
    while (cause instanceof CompletionException || cause instanceof ExecutionException) {
      if (cause.getCause() == null) break;
      cause = cause.getCause();
    }
    return cause instanceof RedisException r ? r : new RedisException(cause);
  }

  /**
   * The error a request path answers with when Redis fails it. The client hears only that the
   * service is briefly unavailable; the cause is logged where the failure was caught.
   */
  public static ParleyException unavailable() {
    return new ParleyException(Reason.UNAVAILABLE, "Temporarily unavailable; retry shortly");
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
    try {
      resources.shutdown(0, 2, TimeUnit.SECONDS).get(3, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Threads that are still stopping are daemons: nothing more to do.
    }
  }
}
