package dev.parley.common.redis;

import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.embedded.RedisServer;

/**
 * A real Redis (the 7.0 binary bundled by org.signal:embedded-redis) on a free port for a test
 * class, restartable on the same port. The same as the testkit's RedisExtension, which this module
 * cannot use: the testkit depends on common. Also gives the tests a plain connection of their own
 * for inspecting and wiping keys.
 */
final class EmbeddedRedis implements BeforeAllCallback, AfterAllCallback {
  private final int port = freePort();
  private RedisServer server;
  private RedisClients admin;

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
    admin = connect("");
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (admin != null) admin.close();
    stop();
  }

  /**
   * Clients as production builds them, with a fast reconnect for tests and a generous command
   * timeout: a loaded test machine must not fail a test by slowness (Redis being down is detected
   * by the rejected commands, not by timeouts).
   */
  RedisClients connect(String keyPrefix) {
    return RedisClients.connect(config(keyPrefix));
  }

  RedisConfig config(String keyPrefix) {
    return new RedisConfig(
        uri(), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMillis(100), keyPrefix);
  }

  synchronized void start() {
    if (server != null && server.isActive()) return;
    server =
        RedisServer.builder()
            .bind("127.0.0.1")
            .port(port)
            .setting("save \"\"")
            .setting("appendonly no")
            .build();
    server.start();
  }

  synchronized void stop() {
    if (server != null && server.isActive()) server.stop();
  }

  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Synchronous commands on a connection of the test's own, without a key prefix. */
  RedisCommands<String, String> admin() {
    return admin.connection().sync();
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
