package dev.parley.server.e2e;

import dev.parley.client.Encoding;
import dev.parley.client.ParleyClient;
import dev.parley.server.ParleyConfig;
import dev.parley.server.SingleNode;
import dev.parley.testkit.PostgresExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real single node for end-to-end tests: the production wiring ({@link SingleNode}) on a free
 * port, against the test class's PostgreSQL database, with a clock the test can move. Configuration
 * is the shipped defaults plus test overrides (cheap Argon2, generous rate limits) plus the test's
 * own.
 */
public final class TestNode implements AutoCloseable {
  public final MutableClock clock;
  public final Path dataDir;
  private final ParleyConfig config;
  private SingleNode node;
  private final List<ParleyClient> clients = new ArrayList<>();

  private TestNode(ParleyConfig config, SingleNode node, Path dataDir, MutableClock clock) {
    this.config = config;
    this.node = node;
    this.dataDir = dataDir;
    this.clock = clock;
  }

  /**
   * Stops the node (gracefully) and starts it again on the same database, data directory and port:
   * clients reconnect to the same address.
   */
  public void restart() {
    node.close();
    node = new SingleNode(config, clock).start();
  }

  public static TestNode start(PostgresExtension postgres, Map<String, String> overrides) {
    Path dataDir;
    try {
      dataDir = Files.createTempDirectory("parley-e2e");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> props = new HashMap<>();
    props.put("parley.database.url", postgres.jdbcUrl());
    props.put("parley.database.user", postgres.user());
    return start(dataDir, props, overrides);
  }

  /**
   * A node on its own embedded PostgreSQL in {@code dataDir}/postgres, listening on {@code
   * postgresPort}, as the single node runs when no database URL is configured.
   */
  public static TestNode onEmbeddedPostgres(
      Path dataDir, int postgresPort, Map<String, String> overrides) {
    Map<String, String> props = new HashMap<>();
    props.put("parley.database.embedded.port", Integer.toString(postgresPort));
    return start(dataDir, props, overrides);
  }

  private static TestNode start(
      Path dataDir, Map<String, String> props, Map<String, String> overrides) {
    props.put("parley.node.data-dir", dataDir.toString());
    props.put("parley.database.pool-size", "8");
    props.put("parley.gateway.host", "127.0.0.1");
    props.put("parley.gateway.port", Integer.toString(freePort()));
    props.put("parley.gateway.shutdown-drain", "2s");
    props.put("parley.admin.port", "0");
    props.put("parley.user.password.memory-kib", "1024");
    props.put("parley.user.password.iterations", "1");
    for (String limit :
        List.of(
            "code-per-identifier",
            "code-per-ip",
            "login-per-identifier",
            "login-per-ip",
            "register-per-ip",
            "refresh-per-session",
            "lookup-per-user")) {
      props.put("parley.user.rate-limits." + limit + ".permits", "10000");
    }
    props.put("parley.user.code.resend-cooldown", "1ms");
    overrides.forEach((k, v) -> props.put(k.startsWith("parley.") ? k : "parley." + k, v));
    ParleyConfig config = ParleyConfig.load(null, Map.of(), props);
    MutableClock clock = new MutableClock();
    return new TestNode(config, new SingleNode(config, clock).start(), dataDir, clock);
  }

  private static int freePort() {
    return dev.parley.testkit.FreePorts.next();
  }

  /** One message-retention pass now (see SingleNode.runRetention). */
  public int runRetention() {
    return node.runRetention();
  }

  public int port() {
    return node.port();
  }

  /** The admin port (bound to 127.0.0.1). */
  public int adminPort() {
    return node.adminPort();
  }

  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + port());
  }

  /** A client closed with the node. Short timeouts and a fast ping keep failing tests short. */
  public ParleyClient client(Encoding encoding) {
    ParleyClient client =
        ParleyClient.builder(baseUri())
            .encoding(encoding)
            .requestTimeout(Duration.ofSeconds(10))
            .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
            .pingInterval(Duration.ofSeconds(1))
            .build();
    clients.add(client);
    return client;
  }

  @Override
  public void close() {
    clients.forEach(ParleyClient::close);
    node.close();
  }
}
