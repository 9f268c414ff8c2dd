package dev.parley.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.embedded.RedisServer;

/**
 * A real Redis server (the binary bundled by org.signal:embedded-redis) on 127.0.0.1 for a test
 * class, on a free port. {@link #stop()} and {@link #start()} restart it on the same port, for
 * tests of what happens when Redis goes away.
 */
public final class RedisExtension implements BeforeAllCallback, AfterAllCallback {
  private final int port = freePort();

  @SuppressWarnings("NullAway.Init") // set in beforeAll, before any test can use it
  private RedisServer server;

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  public synchronized void start() {
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

  public synchronized void stop() {
    if (server != null && server.isActive()) server.stop();
  }

  public int port() {
    return port;
  }

  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  private static int freePort() {
    return FreePorts.next();
  }
}
