package dev.parley.common.db;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells a database that is away (restarting, failing over, out of connections) from a statement
 * that failed on its own merits.
 *
 * <p>The first kind is temporary and says nothing about the request: the caller should hear {@code
 * UNAVAILABLE} and retry (every write of ours is idempotent or was rolled back), not {@code
 * INTERNAL}, which a client treats as final. When PostgreSQL restarts or a primary fails over, the
 * sessions it had are ended with SQLState {@code 57P01} (admin_shutdown, "terminating connection
 * due to administrator command") or {@code 57P02} (crash_shutdown); while it starts, new sessions
 * are refused with {@code 57P03} (cannot_connect_now); a dropped socket is class {@code 08}
 * (connection exception); and while no connection can be had, the pool times out with {@link
 * SQLTransientConnectionException}.
 */
public final class DatabaseFaults {
  private DatabaseFaults() {}

  /**
   * Whether {@code e}, or anything it was caused by, says the database cannot be reached right now.
   */
  public static boolean unavailable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException) return true;
      if (t instanceof SQLException s && away(s.getSQLState())) return true;
    }
    return false;
  }

  private static boolean away(String sqlState) {
    if (sqlState == null) return false;
    return sqlState.startsWith("08")
        || sqlState.equals("57P01")
        || sqlState.equals("57P02")
        || sqlState.equals("57P03");
  }
}
