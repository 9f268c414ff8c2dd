package dev.parley.common.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jspecify.annotations.Nullable;

/**
 * A connection pool to PostgreSQL and the schema migrations of the services that use it.
 *
 * <p>Each service owns one schema ({@code usr}, {@code msg}, ...) and its migrations live in {@code
 * classpath:db/<schema>}. Flyway serializes concurrent migrations with a PostgreSQL advisory lock,
 * so several instances starting together migrate once.
 */
public final class Database implements AutoCloseable {
  private final HikariDataSource dataSource;
  private final Jdbi jdbi;
  private @Nullable AutoCloseable alsoClosing;

  public Database(
      String url,
      String user,
      String password,
      int poolSize,
      java.time.Duration timeout,
      String poolName) {
    this(url, user, password, poolSize, timeout, poolName, null);
  }

  /** With {@code metrics} non-null, the pool reports its gauges and timings there (hikaricp_*). */
  public Database(
      String url,
      String user,
      String password,
      int poolSize,
      java.time.Duration timeout,
      String poolName,
      @Nullable MeterRegistry metrics) {
    HikariConfig config = new HikariConfig();
    if (metrics != null)
      config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics));
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(Math.min(2, poolSize));
    config.setConnectionTimeout(timeout.toMillis());
    config.setPoolName(poolName);
    // Every transaction of ours runs at READ COMMITTED (the design's locking arguments assume it).
    // Set
    // once per connection here rather than per transaction: asking for a level per transaction
    // costs
    // two extra round trips each time (read the current level, set it), a fifth of a send's time.
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    this.dataSource = new HikariDataSource(config);
    this.jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  /** Applies the pending migrations of one service's schema. */
  public void migrate(String schema) {
    Flyway.configure()
        .dataSource(dataSource)
        .schemas(schema)
        .defaultSchema(schema)
        .createSchemas(true)
        .locations("classpath:db/" + schema)
        .table("flyway_history")
        .load()
        .migrate();
  }

  /** Closes {@code other} right after the pool (e.g. the embedded server the pool connects to). */
  public Database alsoClosing(AutoCloseable other) {
    this.alsoClosing = other;
    return this;
  }

  @Override
  public void close() {
    dataSource.close();
    if (alsoClosing != null) {
      try {
        alsoClosing.close();
      } catch (Exception e) {
        throw new IllegalStateException("Closing " + alsoClosing + " failed", e);
      }
    }
  }
}
