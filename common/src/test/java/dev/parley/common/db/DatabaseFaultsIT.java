package dev.parley.common.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a pool sees when PostgreSQL goes away and comes back, against a real server: each failure is
 * classified as "database unavailable" (so callers get UNAVAILABLE and retry), a statement that
 * fails on its own merits is not, and the same pool serves again once the server is back.
 */
class DatabaseFaultsIT {
  @TempDir Path dir;

  @Test
  void sessionsEndedByARestart_andNoServer_areUnavailable_andThePoolRecovers() throws Exception {
    int port = freePort();
    EmbeddedPostgresServer first =
        EmbeddedPostgresServer.start(dir.resolve("pg"), dir.resolve("keys"), port, false);
    try (Database db =
        new Database(
            first.jdbcUrl("postgres"),
            first.user(),
            first.password(),
            2,
            Duration.ofSeconds(1),
            "faults")) {
      try {
        assertThat(
                DatabaseFaults.unavailable(
                    catchThrowable(() -> db.jdbi().withHandle(h -> h.execute("SELEC 1")))))
            .as("a syntax error is the statement's own fault")
            .isFalse();

        // A session the server ends, as a restart or failover does to every session: 57P01.
        Throwable ended =
            catchThrowable(
                () ->
                    db.jdbi()
                        .useHandle(
                            h -> {
                              terminateOtherSessions(first);
                              h.execute("SELECT 1");
                            }));
        assertThat(ended).hasMessageContaining("terminating connection");
        assertThat(DatabaseFaults.unavailable(ended))
            .as("session ended by the server: %s", ended)
            .isTrue();
      } finally {
        first.close();
      }
      Throwable none = catchThrowable(() -> db.jdbi().withHandle(h -> h.execute("SELECT 1")));
      assertThat(DatabaseFaults.unavailable(none)).as("no server: %s", none).isTrue();

      try (EmbeddedPostgresServer again =
          EmbeddedPostgresServer.start(dir.resolve("pg"), dir.resolve("keys"), port, false)) {
        assertThat(firstAnswerWithin(db, Duration.ofSeconds(20)))
            .as("the same pool, once the server is back")
            .isEqualTo(42);
      }
    }
  }

  @Test
  void aServerThatIsStillStartingRefusesWith57P03_whichIsUnavailable() {
    assertThat(
            DatabaseFaults.unavailable(
                new SQLException("the database system is starting up", "57P03")))
        .isTrue();
    assertThat(
            DatabaseFaults.unavailable(new RuntimeException(new SQLException("deadlock", "40P01"))))
        .isFalse();
  }

  /**
   * The pool refills in the background, with a back-off after the attempts that failed while the
   * server was down; under CPU load the first refill can take longer than one connection timeout.
   * Until it lands, every failure must still read as "unavailable" (callers retry on that).
   */
  private static int firstAnswerWithin(Database db, Duration limit) {
    return await()
        .atMost(limit)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptionsMatching(DatabaseFaults::unavailable)
        .until(
            () ->
                db.jdbi()
                    .withHandle(h -> h.createQuery("SELECT 41 + 1").mapTo(Integer.class).one()),
            answer -> true);
  }

  private static void terminateOtherSessions(EmbeddedPostgresServer pg) throws SQLException {
    try (Connection c =
            java.sql.DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), pg.password());
        Statement s = c.createStatement()) {
      s.execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND datname = 'postgres'");
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
