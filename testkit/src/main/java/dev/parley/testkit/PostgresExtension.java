package dev.parley.testkit;

import dev.parley.common.db.Database;
import dev.parley.common.db.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL for a test class. One embedded server is started per test JVM (fsync off, data
 * in a temp directory removed at exit); each test class that registers this extension gets its own
 * fresh database in it, so classes never see each other's rows.
 *
 * <pre>
 * &#64;RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
 * ... postgres.database().jdbi() ...
 * </pre>
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static @Nullable EmbeddedPostgresServer server;

  @SuppressWarnings("NullAway.Init") // set in beforeAll, before any test can use it
  private String name;

  @SuppressWarnings("NullAway.Init")
  private Database database;

  /** The shared server, started on first use. */
  public static synchronized EmbeddedPostgresServer server() {
    if (server == null) server = EmbeddedPostgresServer.startTemporary();
    return server;
  }

  /** Creates a new empty database on the shared server and returns its JDBC URL. */
  public static String createDatabase(String prefix) {
    String db = prefix + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    try (Connection c =
            DriverManager.getConnection(server().jdbcUrl("postgres"), server().user(), "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + db);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot create test database " + db, e);
    }
    return server().jdbcUrl(db);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    String url = createDatabase("t");
    name = url.substring(url.lastIndexOf('/') + 1);
    database = new Database(url, server().user(), "", 8, Duration.ofSeconds(10), "test-" + name);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (database != null) database.close();
  }

  public Database database() {
    if (database == null)
      throw new IllegalStateException(
          "PostgresExtension is not started: register it as a static field");
    return database;
  }

  public String jdbcUrl() {
    return server().jdbcUrl(name);
  }

  public String user() {
    return server().user();
  }
}
