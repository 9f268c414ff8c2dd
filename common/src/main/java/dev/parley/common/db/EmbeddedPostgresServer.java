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
 * A real PostgreSQL server (binaries from Maven) whose data directory survives restarts. Used by
 * the single node when no external database is configured, and by tests.
 *
 * <p>PostgreSQL runs as a child process. If our JVM was killed (kill -9), that child keeps running
 * and holds the data directory; at the next start we find it through {@code postmaster.pid} and
 * shut it down cleanly first, so a crash never requires manual cleanup.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

  /**
   * PostgreSQL forces a checkpoint after this much WAL, and after a checkpoint the next change to
   * every page writes the whole page into the WAL again. PostgreSQL's own default (1 GB) made that
   * a loop on a node indexing for search at a few thousand messages a second: a forced checkpoint
   * every few seconds, each page of the search index written whole again after each one
   * (benchmarks.md, "Where indexing's cost went"). With 4 GB the checkpoint timeout (5 minutes)
   * sets the pace instead; the price is disk for up to this much WAL, and a longer replay after a
   * crash.
   */
  public static final int DEFAULT_MAX_WAL_SIZE_MB = 4096;

  /** Two WAL segments: the least PostgreSQL accepts. */
  public static final int MIN_MAX_WAL_SIZE_MB = 32;

  private final EmbeddedPostgres postgres;
  private final String user;
  private final String password;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres, String user, String password) {
    this.postgres = postgres;
    this.user = user;
    this.password = password;
  }

  /**
   * Starts the server of a node: passwords required, application role {@code parley} (see {@link
   * EmbeddedPostgresAccess}); the passwords are generated into {@code keysDir} on first start.
   */
  public static EmbeddedPostgresServer start(Path dataDir, Path keysDir, int port, boolean fsync) {
    return start(dataDir, keysDir, port, fsync, DEFAULT_MAX_WAL_SIZE_MB);
  }

  /** As {@link #start(Path, Path, int, boolean)}, with PostgreSQL's {@code max_wal_size} in MB. */
  public static EmbeddedPostgresServer start(
      Path dataDir, Path keysDir, int port, boolean fsync, int maxWalSizeMb) {
    try {
      Files.createDirectories(dataDir);
      stopOrphan(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start embedded PostgreSQL in " + dataDir, e);
    }
    EmbeddedPostgresAccess access = new EmbeddedPostgresAccess(keysDir);
    boolean fresh = !Files.exists(dataDir.resolve("postgresql.conf"));
    if (!fresh && EmbeddedPostgresAccess.trustsConnections(dataDir)) {
      log.warn(
          "Embedded PostgreSQL in {} trusts local connections (made by an older version): moving it to passwords",
          dataDir);
      EmbeddedPostgresAccess.writeMigrationRules(dataDir);
      EmbeddedPostgres migrating =
          startPostgres(builder(dataDir, port, fsync, maxWalSizeMb), dataDir);
      try {
        access.secure(migrating.getPort(), dataDir, true);
      } finally {
        closeQuietly(
            migrating); // the restart below also ends every connection made under the old rules
      }
    } else if (!fresh) {
      access.requireSuperuserPassword(dataDir);
    }
    EmbeddedPostgres.Builder builder = builder(dataDir, port, fsync, maxWalSizeMb);
    String superuserPassword = access.superuserPassword();
    if (fresh) {
      // Zonky runs "initdb -A trust"; these later options win, so the cluster never trusts anyone.
      builder
          .setLocaleConfig("auth-local", "scram-sha-256")
          .setLocaleConfig("auth-host", "scram-sha-256")
          .setLocaleConfig("pwfile", access.superuserPasswordFile().toString());
    }
    builder.setConnectConfig("password", superuserPassword);
    EmbeddedPostgres pg = startPostgres(builder, dataDir);
    try {
      access.secure(pg.getPort(), dataDir, false);
    } catch (RuntimeException e) {
      closeQuietly(pg);
      throw e;
    }
    log.info("Embedded PostgreSQL running on 127.0.0.1:{} with data in {}", pg.getPort(), dataDir);
    return new EmbeddedPostgresServer(pg, EmbeddedPostgresAccess.APP_ROLE, access.appPassword());
  }

  private static EmbeddedPostgres.Builder builder(
      Path dataDir, int port, boolean fsync, int maxWalSizeMb) {
    return withPrivateSocket(EmbeddedPostgres.builder())
        .setPgBinaryResolver(new FirstOnClasspathBinaryResolver())
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false)
        .setPort(port)
        // zonky passes -F (fsync off) and synchronous_commit=off by default; a message server
        // acknowledges only durable writes, so both go back on unless explicitly disabled.
        .setServerConfig("fsync", fsync ? "on" : "off")
        .setServerConfig("synchronous_commit", fsync ? "on" : "off")
        .setServerConfig("full_page_writes", fsync ? "on" : "off")
        // WAL segments no longer needed are deleted rather than renamed for reuse with their old
        // bytes inside, so recalled content leaves pg_wal at the next checkpoint (ContentScrubber).
        .setServerConfig("wal_recycle", "off")
        .setServerConfig("max_wal_size", maxWalSizeMb + "MB")
        .setServerConfig("listen_addresses", "127.0.0.1")
        .setServerConfig("max_connections", "200")
        .setPGStartupWait(Duration.ofSeconds(60));
  }

  /**
   * The unix socket goes into the data directory (PostgreSQL works there, so "." is it; a relative
   * path also keeps clear of the 107-byte socket path limit), readable by our OS user only. The
   * default, {@code /tmp} with mode 0777, lets every local user connect.
   */
  private static EmbeddedPostgres.Builder withPrivateSocket(EmbeddedPostgres.Builder builder) {
    return builder
        .setServerConfig("unix_socket_directories", ".")
        .setServerConfig("unix_socket_permissions", "0700");
  }

  private static EmbeddedPostgres startPostgres(EmbeddedPostgres.Builder builder, Path dataDir) {
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start embedded PostgreSQL in " + dataDir, e);
    }
  }

  private static void closeQuietly(EmbeddedPostgres pg) {
    try {
      pg.close();
    } catch (IOException e) {
      log.warn("Stopping embedded PostgreSQL failed", e);
    }
  }

  /**
   * A throwaway server for tests: fresh data directory in the temp dir, fsync off, deleted on close
   * or at JVM exit. Its superuser needs no password over TCP on 127.0.0.1 (tests create databases
   * and inspect rows freely); it holds test data only. The socket is private as in {@link #start}.
   */
  public static EmbeddedPostgresServer startTemporary() {
    try {
      EmbeddedPostgres pg =
          withPrivateSocket(EmbeddedPostgres.builder())
              .setPgBinaryResolver(new FirstOnClasspathBinaryResolver())
              .setCleanDataDirectory(true)
              .setServerConfig("listen_addresses", "127.0.0.1")
              .setServerConfig("max_connections", "300")
              .setPGStartupWait(Duration.ofSeconds(60))
              .start();
      return new EmbeddedPostgresServer(pg, EmbeddedPostgresAccess.SUPERUSER, "");
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

  /**
   * The role applications connect as: {@code parley} for a node's server, the superuser for a
   * test's.
   */
  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  @Override
  public void close() {
    closeQuietly(postgres);
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
    log.warn(
        "PostgreSQL (pid {}) from a previous run still holds {}; shutting it down",
        p.pid(),
        dataDir);
    p.destroy(); // SIGTERM: "smart" shutdown, completes once the dead JVM's connections are gone
    try {
      p.onExit().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("PostgreSQL pid {} did not stop in 30 s; killing it", p.pid());
      p.destroyForcibly();
    }
  }
}
