package dev.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.db.EmbeddedPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresServerTest {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();

  @TempDir Path dir;

  @Test
  void extensionGivesAFreshDatabase() {
    int n =
        postgres
            .database()
            .jdbi()
            .withHandle(h -> h.createQuery("select 41 + 1").mapTo(Integer.class).one());
    assertThat(n).isEqualTo(42);
  }

  @Test
  void productionServerIsDurableAndKeepsDataAcrossRestarts() throws Exception {
    Path data = dir.resolve("pg");
    try (EmbeddedPostgresServer pg =
        EmbeddedPostgresServer.start(data, dir.resolve("keys"), 0, true)) {
      try (Connection c =
              DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), pg.password());
          Statement s = c.createStatement()) {
        assertThat(show(s, "fsync")).isEqualTo("on");
        assertThat(show(s, "synchronous_commit")).isEqualTo("on");
        assertThat(show(s, "max_wal_size")).isEqualTo("4GB");
        s.execute("create table kept (v int)");
        s.execute("insert into kept values (7)");
      }
    }
    assertThat(Files.exists(data.resolve("postgresql.conf"))).isTrue();
    try (EmbeddedPostgresServer pg =
            EmbeddedPostgresServer.start(data, dir.resolve("keys"), 0, true);
        Connection c =
            DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), pg.password());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select v from kept")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(7);
    }
  }

  @Test
  void maxWalSizeIsTheConfiguredOne() throws Exception {
    try (EmbeddedPostgresServer pg =
            EmbeddedPostgresServer.start(dir.resolve("pg"), dir.resolve("keys"), 0, true, 256);
        Connection c =
            DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), pg.password());
        Statement s = c.createStatement()) {
      assertThat(show(s, "max_wal_size")).isEqualTo("256MB");
    }
  }

  private static String show(Statement s, String setting) throws Exception {
    try (ResultSet rs = s.executeQuery("show " + setting)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
