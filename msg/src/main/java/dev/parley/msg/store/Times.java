package dev.parley.msg.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/**
 * Binding helpers of the store: timestamptz in and out (instants cut to microseconds, PostgreSQL's
 * precision), and ids as the boxed arrays that array parameters take.
 */
public final class Times {
  private Times() {}

  public static @Nullable OffsetDateTime db(@Nullable Instant i) {
    return i == null
        ? null
        : OffsetDateTime.ofInstant(i.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
  }

  /**
   * An SQL expression turning microseconds since the epoch (a bigint column named by the argument)
   * into timestamptz, exactly; for arrays of times bound as bigint[].
   */
  public static final String FROM_MICROS = "('epoch'::timestamptz + %s * interval '1 microsecond')";

  /** Microseconds since the epoch, the form FROM_MICROS reads. */
  public static @Nullable Long micros(@Nullable Instant i) {
    return i == null ? null : ChronoUnit.MICROS.between(Instant.EPOCH, i);
  }

  /** The inverse of {@link #micros}. */
  public static @Nullable Instant instant(@Nullable Long micros) {
    return micros == null ? null : Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }

  public static @Nullable Instant get(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  /** A bigint[] parameter's values. */
  static Long[] boxed(long[] values) {
    Long[] out = new Long[values.length];
    for (int i = 0; i < values.length; i++) out[i] = values[i];
    return out;
  }
}
