package dev.parley.user.audit;

import static dev.parley.user.Sql.instant;
import static dev.parley.user.Sql.ts;

import dev.parley.common.id.Snowflake;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The security audit trail: each event goes to {@code usr.security_events} and to the log as one
 * line of {@code key=value} pairs under the logger {@code parley.security} (JSON logs carry it as
 * the message), so operators can route it apart.
 *
 * <p>Recording is best effort and after the fact: callers record once their own transaction has
 * committed, and a failed insert is logged, never turned into a failed login. The log line is
 * written first, so it exists even when the insert fails.
 */
public final class SecurityLog {
  private static final Logger log = LoggerFactory.getLogger("parley.security");
  private static final Logger self = LoggerFactory.getLogger(SecurityLog.class);
  private static final int MAX_DETAIL = 256;

  private final Jdbi jdbi;
  private final Snowflake ids;
  private final Clock clock;

  public SecurityLog(Jdbi jdbi, Snowflake ids, Clock clock) {
    this.jdbi = jdbi;
    this.ids = ids;
    this.clock = clock;
  }

  /** Records an event; never throws. */
  public void record(
      String kind,
      @Nullable Long userId,
      @Nullable Long sessionId,
      @Nullable String ip,
      String detail) {
    String address = ip == null ? "" : ip;
    String text =
        detail == null
            ? ""
            : detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) : detail;
    SecurityEvent event =
        new SecurityEvent(ids.next(), userId, kind, sessionId, address, text, clock.instant());
    log.info(
        "security_event kind={} user_id={} session_id={} ip={} detail=\"{}\"",
        kind,
        userId == null ? "-" : userId,
        sessionId == null ? "-" : sessionId,
        address.isEmpty() ? "-" : address,
        text.replace("\"", "'"));
    try {
      jdbi.useHandle(
          h ->
              h.createUpdate(
                      "INSERT INTO usr.security_events (event_id, user_id, kind, session_id, ip, detail, at)"
                          + " VALUES (:id, :userId, :kind, :sessionId, :ip, :detail, :at)")
                  .bind("id", event.eventId())
                  .bind("userId", userId)
                  .bind("kind", kind)
                  .bind("sessionId", sessionId)
                  .bind("ip", address)
                  .bind("detail", text)
                  .bind("at", ts(event.at()))
                  .execute());
    } catch (RuntimeException e) {
      self.warn("Could not store security event {} for user {}", kind, userId, e);
    }
  }

  /** The user's events older than {@code before}, newest first. */
  public List<SecurityEvent> recent(long userId, Instant before, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT event_id, user_id, kind, session_id, ip, detail, at FROM usr.security_events"
                        + " WHERE user_id = :userId AND at < :before ORDER BY at DESC, event_id DESC LIMIT :limit")
                .bind("userId", userId)
                .bind("before", ts(before))
                .bind("limit", limit)
                .map((rs, ctx) -> map(rs))
                .list());
  }

  /** Deletes up to {@code batch} events older than the cutoff; returns how many. */
  public int prune(Instant cutoff, int batch) {
    return jdbi.withHandle(
        h ->
            h.createUpdate(
                    "DELETE FROM usr.security_events WHERE event_id IN"
                        + " (SELECT event_id FROM usr.security_events WHERE at < :cutoff LIMIT :batch)")
                .bind("cutoff", ts(cutoff))
                .bind("batch", batch)
                .execute());
  }

  private static SecurityEvent map(ResultSet rs) throws SQLException {
    long user = rs.getLong("user_id");
    Long userId = rs.wasNull() ? null : user;
    long session = rs.getLong("session_id");
    Long sessionId = rs.wasNull() ? null : session;
    return new SecurityEvent(
        rs.getLong("event_id"),
        userId,
        rs.getString("kind"),
        sessionId,
        rs.getString("ip"),
        rs.getString("detail"),
        Objects.requireNonNull(instant(rs, "at")));
  }
}
