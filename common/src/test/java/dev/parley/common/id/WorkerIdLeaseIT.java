package dev.parley.common.id;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.db.Database;
import dev.parley.common.db.EmbeddedPostgresServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lease across a restart of a real PostgreSQL: the restart ends the lease's session and with it
 * the advisory lock; {@link WorkerIdLease#renew} takes the same id again, or reports that another
 * process took it first.
 */
class WorkerIdLeaseIT {
  @TempDir Path dir;

  @Test
  void aRestartEndsTheLeasesSession_renewTakesTheSameIdAgain_orSaysAnotherProcessHasIt()
      throws Exception {
    int port = freePort();
    EmbeddedPostgresServer first =
        EmbeddedPostgresServer.start(dir.resolve("pg"), dir.resolve("keys"), port, false);
    try (Database db =
            new Database(
                first.jdbcUrl("postgres"),
                first.user(),
                first.password(),
                4,
                Duration.ofSeconds(2),
                "lease");
        WorkerIdLease mine = WorkerIdLease.acquire(db.dataSource())) {
      first.close();
      try (EmbeddedPostgresServer again =
          EmbeddedPostgresServer.start(dir.resolve("pg"), dir.resolve("keys"), port, false)) {
        assertThat(mine.valid()).as("the lease's session survived the restart").isFalse();
        assertThat(holds(again, mine.workerId()))
            .as("id %d locked right after the restart", mine.workerId())
            .isFalse();

        assertThat(renewed(mine)).isTrue();
        assertThat(mine.valid()).isTrue();
        assertThat(holds(again, mine.workerId()))
            .as("id %d locked after renew", mine.workerId())
            .isTrue();
        try (Database otherProcess = pool(again);
            WorkerIdLease other = WorkerIdLease.acquire(otherProcess.dataSource())) {
          assertThat(other.workerId())
              .as("a process started after renew")
              .isNotEqualTo(mine.workerId());
        }
      }

      // Started again (the server was stopped above), and this time a process leases before our
      // renew: it gets our id, the lowest free one.
      try (EmbeddedPostgresServer third =
              EmbeddedPostgresServer.start(dir.resolve("pg"), dir.resolve("keys"), port, false);
          Database thiefProcess = pool(third);
          WorkerIdLease thief = WorkerIdLease.acquire(thiefProcess.dataSource())) {
        assertThat(thief.workerId()).isEqualTo(mine.workerId());
        assertThat(renewed(mine)).as("renew while another process holds the id").isFalse();
      }
    }
  }

  /** Another process: a pool of its own, opened after the restart. */
  private static Database pool(EmbeddedPostgresServer pg) {
    return new Database(
        pg.jdbcUrl("postgres"), pg.user(), pg.password(), 2, Duration.ofSeconds(2), "other");
  }

  /**
   * renew() as the watch calls it, once a second: our own pool may first hand it a connection the
   * restart ended (taken as "database unreachable": true, try again), which the pool then drops.
   */
  private static boolean renewed(WorkerIdLease lease) {
    for (int i = 0; i < 5; i++) {
      if (!lease.renew()) return false;
      if (lease.valid()) return true;
    }
    return true;
  }

  private static boolean holds(EmbeddedPostgresServer pg, int workerId) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), pg.password());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = "
                    + 0x5052_4c59
                    + " AND objid = "
                    + workerId)) {
      rs.next();
      return rs.getInt(1) == 1;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
