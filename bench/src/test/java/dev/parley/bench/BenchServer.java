package dev.parley.bench;

import dev.parley.server.ParleyConfig;
import dev.parley.server.SingleNode;
import dev.parley.testkit.PostgresExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real single node for the smoke test: the production wiring on a free port, against the test
 * class's PostgreSQL database, configured like bench/bench-server.yaml (codes in the dev code file,
 * rate limits lifted).
 */
final class BenchServer implements AutoCloseable {
  final Path dataDir;
  private final SingleNode node;

  private BenchServer(Path dataDir, SingleNode node) {
    this.dataDir = dataDir;
    this.node = node;
  }

  static BenchServer start(PostgresExtension postgres) {
    Path dataDir;
    try {
      dataDir = Files.createTempDirectory("parley-bench");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> props = new HashMap<>();
    props.put("parley.node.data-dir", dataDir.toString());
    props.put("parley.database.url", postgres.jdbcUrl());
    props.put("parley.database.user", postgres.user());
    props.put("parley.database.pool-size", "8");
    props.put("parley.gateway.host", "127.0.0.1");
    props.put("parley.gateway.port", Integer.toString(freePort()));
    props.put("parley.gateway.shutdown-drain", "2s");
    props.put("parley.admin.port", "0");
    props.put("parley.user.password.memory-kib", "1024");
    props.put("parley.user.password.iterations", "1");
    props.put("parley.user.mail.mode", "log");
    props.put("parley.user.dev-code-file", "dev-codes.log");
    props.put("parley.user.code.resend-cooldown", "1ms");
    for (String limit :
        List.of(
            "code-per-identifier",
            "code-per-ip",
            "login-per-identifier",
            "login-per-ip",
            "register-per-ip",
            "refresh-per-session",
            "lookup-per-user")) {
      props.put("parley.user.rate-limits." + limit + ".permits", "100000");
    }
    ParleyConfig config = ParleyConfig.load(null, Map.of(), props);
    return new BenchServer(dataDir, new SingleNode(config, Clock.systemUTC()).start());
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + node.port());
  }

  /** Prometheus metrics, on the admin port. */
  URI metricsUri() {
    return URI.create("http://127.0.0.1:" + node.adminPort() + "/metrics");
  }

  @Override
  public void close() {
    node.close();
  }
}
