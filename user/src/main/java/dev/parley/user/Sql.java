package dev.parley.user;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.jdbi.v3.core.JdbiException;
import org.jspecify.annotations.Nullable;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** Small helpers shared by the table-access classes. */
public final class Sql {
  private Sql() {}

  /**
   * Binds an instant as {@code timestamptz} without going through the JVM's time zone. Truncated to
   * microseconds, PostgreSQL's precision: left to PostgreSQL, nanoseconds would be
   * <em>rounded</em>, and a stored expiry could then lie after the very instant it was computed
   * from, so that a check in Java ({@code now < expiresAt}) and the same check in SQL ({@code
   * expires_at > now}) disagree.
   */
  public static @Nullable OffsetDateTime ts(@Nullable Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
  }

  public static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  /** True when {@code e} is a unique violation of the named constraint (or index). */
  public static boolean isUniqueViolation(JdbiException e, String constraint) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof PSQLException p && "23505".equals(p.getSQLState())) {
        ServerErrorMessage m = p.getServerErrorMessage();
        return m != null && constraint.equals(m.getConstraint());
      }
    }
    return false;
  }
}
