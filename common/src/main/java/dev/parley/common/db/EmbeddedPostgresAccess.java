package dev.parley.common.db;

import dev.parley.common.secret.SecretFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Properties;
import org.postgresql.PGConnection;

/**
 * Who may connect to the embedded PostgreSQL, and as what.
 *
 * <p>The library's defaults trust every local connection (any OS user of the machine could read and
 * change all data, and as superuser run programs as our OS user through {@code COPY ... TO
 * PROGRAM}). Instead:
 *
 * <ul>
 *   <li>Every connection proves a password (scram-sha-256), over TCP on 127.0.0.1 and over the unix
 *       socket alike ({@link #RULES}).
 *   <li>Two generated passwords live in the node's key directory (mode 0600, like the other
 *       development secrets): one for the superuser {@code postgres}, used only here to manage
 *       roles, and one for the application role {@code parley}, which owns the database and the
 *       services' schemas but is no superuser (no {@code COPY TO PROGRAM}, no untrusted languages,
 *       no reading server files).
 *   <li>The unix socket is created inside the data directory (0700) with mode 0700, not in {@code
 *       /tmp}.
 * </ul>
 *
 * <p>A data directory made before this (rules that {@code trust}) is migrated at its first start:
 * it is started once with a rule that trusts only the superuser on 127.0.0.1, given the passwords
 * and the application role, and restarted with the rules above. The cluster was open to every local
 * user until then; the migration closes it but cannot vouch for what happened to it before.
 */
final class EmbeddedPostgresAccess {
  static final String APP_ROLE = "parley";
  static final String SUPERUSER = "postgres";
  static final String DATABASE = "postgres";

  private static final String RULES =
      """
      # Written by Parley (EmbeddedPostgresAccess) at every start; edits here are overwritten.
      # Passwords only, loopback only: the unix socket lives in this 0700 directory.
      local all all scram-sha-256
      host  all all 127.0.0.1/32 scram-sha-256
      """;

  // Only for the one start that migrates a directory from before passwords: the superuser has none
  // yet.
  private static final String MIGRATION_RULES =
      """
      # Parley: one-time migration from trust to passwords; replaced as soon as the roles have passwords.
      host all postgres 127.0.0.1/32 trust
      """;

  private static final String SUPERUSER_FILE = "postgres-superuser.password";
  private static final String APP_FILE = "postgres-app.password";
  private static final int PASSWORD_BYTES = 24;

  private final Path keysDir;

  EmbeddedPostgresAccess(Path keysDir) {
    this.keysDir = keysDir;
  }

  /** The file that holds the superuser's password (initdb reads it from there, first line). */
  Path superuserPasswordFile() {
    return keysDir.resolve(SUPERUSER_FILE);
  }

  String superuserPassword() {
    return password(SUPERUSER_FILE);
  }

  String appPassword() {
    return password(APP_FILE);
  }

  /** True when {@code dataDir} was made before passwords: its rules trust some connections. */
  static boolean trustsConnections(Path dataDir) {
    try {
      return Files.readAllLines(hbaFile(dataDir)).stream()
          .map(String::strip)
          .filter(line -> !line.startsWith("#"))
          .anyMatch(line -> line.matches(".*\\strust(\\s.*)?"));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + hbaFile(dataDir), e);
    }
  }

  /** A directory with a cluster but without our superuser password cannot be opened: say so. */
  void requireSuperuserPassword(Path dataDir) {
    if (!Files.exists(superuserPasswordFile())) {
      throw new IllegalStateException(
          "The embedded PostgreSQL in "
              + dataDir
              + " requires passwords, but "
              + superuserPasswordFile()
              + " is missing: restore it from the node's backup of its key directory");
    }
  }

  static void writeMigrationRules(Path dataDir) {
    writeRules(dataDir, MIGRATION_RULES);
  }

  /**
   * Gives the superuser its password (when migrating), creates the application role or resets its
   * password to the file's, hands it the database and every object of the services' schemas, then
   * writes the password-only rules. Takes effect for new connections after a reload or restart.
   */
  void secure(int port, Path dataDir, boolean migrating) {
    Properties login = new Properties();
    login.setProperty("user", SUPERUSER);
    if (!migrating) login.setProperty("password", superuserPassword());
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    try (Connection c = DriverManager.getConnection(url, login);
        Statement s = c.createStatement()) {
      PGConnection pg = c.unwrap(PGConnection.class);
      // The password travels as a SCRAM verifier computed here, never as plain text in a statement.
      if (migrating)
        pg.alterUserPassword(SUPERUSER, superuserPassword().toCharArray(), "scram-sha-256");
      s.execute(
          "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '"
              + APP_ROLE
              + "') THEN "
              + "CREATE ROLE "
              + APP_ROLE
              + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS; "
              + "END IF; END $$");
      pg.alterUserPassword(APP_ROLE, appPassword().toCharArray(), "scram-sha-256");
      s.execute("ALTER DATABASE " + DATABASE + " OWNER TO " + APP_ROLE);
      // What the message service needs to make recalled content leave the files (ContentScrubber):
      // checkpoints and WAL switches; neither reads nor changes data.
      s.execute("GRANT pg_checkpoint TO " + APP_ROLE);
      s.execute("GRANT EXECUTE ON FUNCTION pg_switch_wal() TO " + APP_ROLE);
      s.execute(HAND_OVER_SCHEMAS);
      writeRules(dataDir, RULES);
      s.execute("SELECT pg_reload_conf()");
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot set up the roles of the embedded PostgreSQL in " + dataDir, e);
    }
  }

  // Objects the superuser created before the application role existed (every schema migrated by an
  // older version) go to the application role. ALTER TABLE also moves the table's indexes and the
  // sequences it owns; other sequences, functions and the schemas themselves are moved one by one.
  private static final String HAND_OVER_SCHEMAS =
      """
      DO $$
      DECLARE r record;
      BEGIN
        FOR r IN SELECT n.nspname AS name FROM pg_namespace n
                 WHERE n.nspowner = 'postgres'::regrole AND n.nspname NOT IN ('information_schema', 'public')
                   AND n.nspname NOT LIKE 'pg\\_%' LOOP
          EXECUTE format('ALTER SCHEMA %I OWNER TO parley', r.name);
        END LOOP;
        FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relowner = 'postgres'::regrole AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
                   AND n.nspname NOT IN ('information_schema', 'pg_catalog', 'pg_toast') LOOP
          EXECUTE format('ALTER TABLE %s OWNER TO parley', r.name);
        END LOOP;
        FOR r IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relowner = 'postgres'::regrole AND c.relkind = 'S'
                   AND n.nspname NOT IN ('information_schema', 'pg_catalog') LOOP
          EXECUTE format('ALTER SEQUENCE %s OWNER TO parley', r.name);
        END LOOP;
        FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                 WHERE p.proowner = 'postgres'::regrole AND n.nspname NOT IN ('information_schema', 'pg_catalog') LOOP
          EXECUTE format('ALTER ROUTINE %s OWNER TO parley', r.name);
        END LOOP;
      END $$
      """;

  private String password(String file) {
    return Base64.getEncoder()
        .encodeToString(SecretFiles.loadOrCreate(keysDir, file, PASSWORD_BYTES));
  }

  private static Path hbaFile(Path dataDir) {
    return dataDir.resolve("pg_hba.conf");
  }

  private static void writeRules(Path dataDir, String rules) {
    Path file = hbaFile(dataDir);
    Path tmp = dataDir.resolve("pg_hba.conf.tmp");
    try {
      Files.writeString(tmp, rules);
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }
}
