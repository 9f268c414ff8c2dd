package dev.parley.common.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (binaries from Maven) whose data directory survives restarts. Used by the
 * single node when no external database is configured, and by tests.
 *
 * <p>PostgreSQL runs as a child process. If our JVM was killed (kill -9), that child keeps running and
 * holds the data directory; at the next start we find it through {@code postmaster.pid} and shut it down
 * cleanly first, so a crash never requires manual cleanup.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

  private final EmbeddedPostgres postgres;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  public static EmbeddedPostgresServer start(Path dataDir, int port, boolean fsync) {
    try {
      Files.createDirectories(dataDir);
      stopOrphan(dataDir);
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setPgBinaryResolver(new FirstOnClasspathBinaryResolver())
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              .setPort(port)
              // zonky passes -F (fsync off) and synchronous_commit=off by default; a message server
              // acknowledges only durable writes, so both go back on unless explicitly disabled.
              .setServerConfig("fsync", fsync ? "on" : "off")
              .setServerConfig("synchronous_commit", fsync ? "on" : "off")
              .setServerConfig("full_page_writes", fsync ? "on" : "off")
              .setServerConfig("listen_addresses", "127.0.0.1")
              .setServerConfig("max_connections", "200")
              .setPGStartupWait(Duration.ofSeconds(60))
              .start();
      log.info("Embedded PostgreSQL running on 127.0.0.1:{} with data in {}", pg.getPort(), dataDir);
      return new EmbeddedPostgresServer(pg);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start embedded PostgreSQL in " + dataDir, e);
    }
  }

  /**
   * A throwaway server for tests: fresh data directory in the temp dir, fsync off, deleted on close or
   * at JVM exit.
   */
  public static EmbeddedPostgresServer startTemporary() {
    try {
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setPgBinaryResolver(new FirstOnClasspathBinaryResolver())
              .setCleanDataDirectory(true)
              .setServerConfig("listen_addresses", "127.0.0.1")
              .setServerConfig("max_connections", "300")
              .setPGStartupWait(Duration.ofSeconds(60))
              .start();
      return new EmbeddedPostgresServer(pg);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start a temporary embedded PostgreSQL", e);
    }
  }

  public int port() {
    return postgres.getPort();
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
  }

  public String user() {
    return "postgres";
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      log.warn("Stopping embedded PostgreSQL failed", e);
    }
  }

  private static void stopOrphan(Path dataDir) throws IOException {
    Path pidFile = dataDir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) return;
    Optional<ProcessHandle> orphan;
    try {
      long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
      orphan = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    } catch (RuntimeException e) {
      return; // unreadable pid file: PostgreSQL itself decides whether it is stale
    }
    if (orphan.isEmpty()) return;
    ProcessHandle p = orphan.get();
    log.warn("PostgreSQL (pid {}) from a previous run still holds {}; shutting it down", p.pid(), dataDir);
    p.destroy(); // SIGTERM: "smart" shutdown, completes once the dead JVM's connections are gone
    try {
      p.onExit().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("PostgreSQL pid {} did not stop in 30 s; killing it", p.pid());
      p.destroyForcibly();
    }
  }
}
