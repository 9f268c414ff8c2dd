package dev.parley.common.id;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each process of a cluster its own snowflake worker id, so that no two live processes can mint
 * the same id, without anyone numbering processes by hand.
 *
 * <p>The id is a PostgreSQL session-level advisory lock (key space 0x5052_4c59, key = worker id) held
 * on a connection this lease keeps open for the life of the process. When the process dies, its
 * connection dies and PostgreSQL releases the lock: the id is free again, and no id is free while a
 * live process holds it.
 */
public final class WorkerIdLease implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerIdLease.class);
  private static final int SPACE = 0x5052_4c59;

  private final Connection connection;
  private final int workerId;

  private WorkerIdLease(Connection connection, int workerId) {
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
              return new WorkerIdLease(c, id);
            }
          }
        }
      }
      c.close();
      throw new IllegalStateException("All " + (Snowflake.MAX_WORKER_ID + 1) + " worker ids are in use");
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot lease a worker id from PostgreSQL", e);
    }
  }

  public int workerId() {
    return workerId;
  }

  /** Whether the lease still holds (its connection is alive). */
  public boolean valid() {
    try {
      return connection.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public void close() {
    try {
      connection.close(); // ends the session: PostgreSQL drops the advisory lock
    } catch (SQLException e) {
      log.warn("Closing the worker id lease failed", e);
    }
  }
}
