package dev.parley.common.id;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each process of a cluster its own snowflake worker id, so that no two live processes can
 * mint the same id, without anyone numbering processes by hand.
 *
 * <p>The id is a PostgreSQL session-level advisory lock (key space 0x5052_4c59, key = worker id)
 * held on a connection this lease keeps open for the life of the process. When the process dies,
 * its connection dies and PostgreSQL releases the lock: the id is free again, and no id is free
 * while a live process holds it.
 *
 * <p>PostgreSQL also releases the lock when <em>it</em> ends the session: a restart or a failover
 * of the primary ends every session. From then on a process that starts could lease the same id
 * while this one goes on minting with it. {@link #watch} therefore checks the session every
 * interval and, once the database is back, takes the same id again on a new session; if another
 * process got it first, this process must stop minting ids ({@code onLost}).
 */
public final class WorkerIdLease implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerIdLease.class);
  private static final int SPACE = 0x5052_4c59;

  private final DataSource dataSource;
  private final int workerId;
  private Connection connection;
  private @Nullable ScheduledExecutorService watcher; // null until watch()

  private WorkerIdLease(DataSource dataSource, Connection connection, int workerId) {
    this.dataSource = dataSource;
    this.connection = connection;
    this.workerId = workerId;
  }

  /** Takes the lowest free worker id. */
  public static WorkerIdLease acquire(DataSource dataSource) {
    try {
      Connection c = dataSource.getConnection();
      c.setAutoCommit(true);
      try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
        for (int id = 0; id <= Snowflake.MAX_WORKER_ID; id++) {
          s.setInt(1, SPACE);
          s.setInt(2, id);
          try (ResultSet rs = s.executeQuery()) {
            rs.next();
            if (rs.getBoolean(1)) {
              log.info("Snowflake worker id {} leased", id);
              return new WorkerIdLease(dataSource, c, id);
            }
          }
        }
      }
      c.close();
      throw new IllegalStateException(
          "All " + (Snowflake.MAX_WORKER_ID + 1) + " worker ids are in use");
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot lease a worker id from PostgreSQL", e);
    }
  }

  public int workerId() {
    return workerId;
  }

  /** Whether the lease still holds (its connection is alive). */
  public synchronized boolean valid() {
    try {
      return connection.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  /**
   * Takes the id again on a new session if the database ended the lease's session. Returns false
   * only when another process holds the id now; true while the lease holds, and while the database
   * cannot be reached (then nobody can take the id either; the next call tries again).
   */
  public synchronized boolean renew() {
    if (valid()) return true;
    Connection c;
    try {
      c = dataSource.getConnection();
    } catch (SQLException e) {
      return true;
    }
    try {
      c.setAutoCommit(true);
      try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
        s.setInt(1, SPACE);
        s.setInt(2, workerId);
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          if (!rs.getBoolean(1)) {
            c.close();
            return false;
          }
        }
      }
    } catch (SQLException e) {
      closeQuietly(c);
      return true;
    }
    closeQuietly(connection);
    connection = c;
    log.info(
        "Snowflake worker id {} leased again: the database had ended the lease's session",
        workerId);
    return true;
  }

  /**
   * Calls {@link #renew} every {@code interval} until {@link #close}; {@code onLost} runs once if
   * the id was taken by another process meanwhile.
   */
  public synchronized void watch(Duration interval, Runnable onLost) {
    if (watcher != null) throw new IllegalStateException("already watched");
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("worker-id-lease").factory());
    watcher = timer;
    timer.scheduleWithFixedDelay(
        () -> {
          if (!renew()) {
            log.error(
                "Snowflake worker id {} was leased by another process while the database had ended our session",
                workerId);
            timer.shutdown();
            onLost.run();
          }
        },
        interval.toMillis(),
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void close() {
    if (watcher != null) watcher.shutdownNow();
    try {
      connection.close(); // ends the session: PostgreSQL drops the advisory lock
    } catch (SQLException e) {
      log.warn("Closing the worker id lease failed", e);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      // a dead session: nothing to release
    }
  }
}
