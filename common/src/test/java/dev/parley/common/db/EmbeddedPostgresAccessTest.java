package dev.parley.common.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacks on a node's embedded PostgreSQL by another local user: connecting without a password
 * (TCP or socket), reaching the socket in /tmp, and, once in, running programs as our OS user.
 */
class EmbeddedPostgresAccessTest {
  @TempDir Path dir;

  @Test
  void aNewDataDirectoryWantsPasswordsAndTheApplicationIsNoSuperuser() throws Exception {
    Path data = dir.resolve("pg");
    Path keys = dir.resolve("keys");
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(data, keys, 0, false)) {
      assertRefused(pg, "postgres", null);
      assertRefused(pg, "postgres", "");
      assertRefused(pg, "parley", "guess");
      assertThat(pg.user()).isEqualTo("parley");
      try (Connection c =
              DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), pg.password());
          Statement s = c.createStatement()) {
        assertThat(query(s, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
            .isEqualTo("f");
        assertThatThrownBy(() -> s.execute("COPY (SELECT 1) TO PROGRAM 'id'"))
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("permission denied");
        // ... yet it can do what the services' migrations do
        s.execute("CREATE SCHEMA usr");
        s.execute("CREATE TABLE usr.t (id bigserial PRIMARY KEY, v text)");
        s.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm");
      }
      assertPrivate(data, keys, pg.port());
    }
  }

  @Test
  void aDataDirectoryFromBeforePasswordsIsMigratedAndKeepsItsData() throws Exception {
    Path data = dir.resolve("pg");
    Path keys = dir.resolve("keys");
    try (EmbeddedPostgres old = legacyServer(data);
        Connection c = old.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      // what an older version's migrations left: schemas, tables, sequences and functions of
      // postgres
      s.execute("CREATE SCHEMA msg");
      s.execute("CREATE TABLE msg.entries (id bigserial PRIMARY KEY, body text)");
      s.execute("CREATE SEQUENCE msg.loose");
      s.execute("CREATE FUNCTION msg.two() RETURNS int LANGUAGE sql AS 'SELECT 2'");
      s.execute("INSERT INTO msg.entries (body) VALUES ('kept')");
      // the attack this class is about, against the old setup: no password needed
      DriverManager.getConnection(
              "jdbc:postgresql://127.0.0.1:" + old.getPort() + "/postgres", "postgres", null)
          .close();
    }
    assertThat(EmbeddedPostgresAccess.trustsConnections(data)).isTrue();

    for (int start = 0; start < 2; start++) { // the migrating start, then an ordinary one
      try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(data, keys, 0, false)) {
        assertRefused(pg, "postgres", null);
        try (Connection c =
                DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), pg.password());
            Statement s = c.createStatement()) {
          assertThat(query(s, "SELECT body FROM msg.entries WHERE id = 1")).isEqualTo("kept");
          s.execute("INSERT INTO msg.entries (body) VALUES ('new " + start + "')");
          assertThat(query(s, "SELECT msg.two() + 0 * nextval('msg.loose')")).isEqualTo("2");
          s.execute("ALTER TABLE msg.entries ADD COLUMN IF NOT EXISTS at timestamptz");
          assertThat(query(s, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
              .isEqualTo("f");
        }
        assertPrivate(data, keys, pg.port());
      }
    }
  }

  @Test
  void aDataDirectoryWithoutItsPasswordFileSaysSo() throws Exception {
    Path data = dir.resolve("pg");
    Path keys = dir.resolve("keys");
    EmbeddedPostgresServer.start(data, keys, 0, false).close();
    Files.delete(keys.resolve("postgres-superuser.password"));
    assertThatThrownBy(() -> EmbeddedPostgresServer.start(data, keys, 0, false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("postgres-superuser.password is missing");
  }

  /** The server as versions before passwords started it: zonky's defaults, trust for everyone. */
  private static EmbeddedPostgres legacyServer(Path data) throws Exception {
    return EmbeddedPostgres.builder()
        .setPgBinaryResolver(new FirstOnClasspathBinaryResolver())
        .setDataDirectory(data)
        .setCleanDataDirectory(false)
        .setServerConfig("listen_addresses", "127.0.0.1")
        .setPGStartupWait(Duration.ofSeconds(60))
        .start();
  }

  private static void assertRefused(EmbeddedPostgresServer pg, String user, String password) {
    assertThatThrownBy(
            () -> DriverManager.getConnection(pg.jdbcUrl("postgres"), user, password).close())
        .as("%s with password %s", user, password)
        .isInstanceOf(SQLException.class);
  }

  /** Rules without trust, socket inside the 0700 data directory and 0700 itself, secrets 0600. */
  private static void assertPrivate(Path data, Path keys, int port) throws Exception {
    assertThat(EmbeddedPostgresAccess.trustsConnections(data)).isFalse();
    assertThat(Path.of("/tmp/.s.PGSQL." + port)).doesNotExist();
    Path socket = data.resolve(".s.PGSQL." + port);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
        .isEqualTo("rwx------");
    for (String secret : new String[] {"postgres-superuser.password", "postgres-app.password"}) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve(secret))))
          .isEqualTo("rw-------");
    }
  }

  private static String query(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
