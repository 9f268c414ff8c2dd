package dev.parley.server.cluster;

import dev.parley.common.db.EmbeddedPostgresServer;
import dev.parley.testkit.FreePorts;
import java.nio.file.Path;

/**
 * A PostgreSQL of its own for a test class that restarts it: a fixed port and a data directory that
 * survive {@link #stop()} and {@link #start()}, so the cluster's pools reach the same server again
 * (the per-JVM server of {@link dev.parley.testkit.PostgresExtension} is shared by every class and
 * cannot go away). fsync off, as in every test.
 */
final class RestartablePostgres implements AutoCloseable {
  private final Path dataDir;
  private final Path keysDir; // the generated passwords, kept across restarts like the data
  private final int port = FreePorts.next();
  private EmbeddedPostgresServer server;

  RestartablePostgres(Path dataDir) {
    this.dataDir = dataDir;
    this.keysDir = dataDir.resolveSibling(dataDir.getFileName() + "-keys");
  }

  /**
   * Starts the server (initialising the data directory the first time) and waits until it accepts
   * connections.
   */
  synchronized RestartablePostgres start() {
    if (server == null) server = EmbeddedPostgresServer.start(dataDir, keysDir, port, false);
    return this;
  }

  /**
   * Stops the server ({@code pg_ctl stop -m fast}: every session is terminated, transactions in
   * flight abort, as in a restart or a failover of the primary).
   */
  synchronized void stop() {
    if (server == null) return;
    server.close();
    server = null;
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  /**
   * The application role and its password (a node's embedded server: passwords required, no
   * superuser).
   */
  synchronized String user() {
    return server.user();
  }

  synchronized String password() {
    return server.password();
  }

  @Override
  public void close() {
    stop();
  }
}
