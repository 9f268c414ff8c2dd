package dev.parley.file.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/**
 * timestamptz in and out as UTC offsets (never the JVM's time zone), cut to microseconds,
 * PostgreSQL's precision, so that a time read back equals the time written.
 */
final class Db {
  private Db() {}

  static @Nullable OffsetDateTime at(@Nullable Instant i) {
    return i == null
        ? null
        : OffsetDateTime.ofInstant(i.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
  }

  static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  static Instant required(ResultSet rs, String column) throws SQLException {
    Instant i = instant(rs, column);
    if (i == null) throw new IllegalStateException(column + " is null");
    return i;
  }
}
