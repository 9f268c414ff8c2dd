package dev.parley.user.session;

import static dev.parley.user.Sql.instant;
import static dev.parley.user.Sql.ts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** Table access for {@code usr.sessions}. */
public final class Sessions {
  private static final String COLUMNS =
      "session_id, user_id, device_id, platform, device_name, created_ip, last_ip, created_at, last_seen_at,"
          + " revoked_at, revoke_reason";

  public void insert(Handle h, Session s) {
    h.createUpdate(
            "INSERT INTO usr.sessions ("
                + COLUMNS
                + ") VALUES (:id, :userId, :deviceId, :platform, :deviceName,"
                + " :createdIp, :lastIp, :createdAt, :lastSeenAt, NULL, NULL)")
        .bind("id", s.sessionId())
        .bind("userId", s.userId())
        .bind("deviceId", s.deviceId())
        .bind("platform", s.platform().dbName())
        .bind("deviceName", s.deviceName())
        .bind("createdIp", s.createdIp())
        .bind("lastIp", s.lastIp())
        .bind("createdAt", ts(s.createdAt()))
        .bind("lastSeenAt", ts(s.lastSeenAt()))
        .execute();
  }

  /**
   * Locks the user's account row (FOR NO KEY UPDATE, which still lets sessions reference it) until
   * the transaction ends: opening sessions is serialized per user, so the
   * one-active-session-per-device invariant holds without relying on a unique-violation retry.
   */
  public void lockUser(Handle h, long userId) {
    h.createQuery("SELECT user_id FROM usr.accounts WHERE user_id = :userId FOR NO KEY UPDATE")
        .bind("userId", userId)
        .mapTo(Long.class)
        .findOne();
  }

  /**
   * The active session, locked (FOR NO KEY UPDATE) until the transaction ends. Refresh and
   * revocation both take this lock first, so they serialize per session and never deadlock on each
   * other.
   */
  public Optional<Session> lockActive(Handle h, long sessionId) {
    return h.createQuery(
            "SELECT "
                + COLUMNS
                + " FROM usr.sessions WHERE session_id = :id AND revoked_at IS NULL FOR NO KEY UPDATE")
        .bind("id", sessionId)
        .map(Sessions::map)
        .findOne();
  }

  public Optional<Session> findActive(Handle h, long sessionId) {
    return h.createQuery(
            "SELECT "
                + COLUMNS
                + " FROM usr.sessions WHERE session_id = :id AND revoked_at IS NULL")
        .bind("id", sessionId)
        .map(Sessions::map)
        .findOne();
  }

  /**
   * Records a connection of the user's active session and returns it: the authentication of a
   * connection and its first touch in one statement (one round trip; a revocation that commits
   * first makes it find nothing).
   */
  public Optional<Session> touchActive(
      Handle h, long sessionId, long userId, String ip, Instant now) {
    return h.createQuery(
            "UPDATE usr.sessions SET last_seen_at = GREATEST(last_seen_at, :now),"
                + " last_ip = CASE WHEN :ip = '' THEN last_ip ELSE :ip END"
                + " WHERE session_id = :id AND user_id = :userId AND revoked_at IS NULL"
                + " RETURNING "
                + COLUMNS)
        .bind("id", sessionId)
        .bind("userId", userId)
        .bind("ip", ip)
        .bind("now", ts(now))
        .map(Sessions::map)
        .findOne();
  }

  public List<Session> listActive(Handle h, long userId) {
    return h.createQuery(
            "SELECT "
                + COLUMNS
                + " FROM usr.sessions WHERE user_id = :userId AND revoked_at IS NULL"
                + " ORDER BY created_at, session_id")
        .bind("userId", userId)
        .map(Sessions::map)
        .list();
  }

  /** The active session of the device, if any. */
  public Optional<Session> findActiveOnDevice(Handle h, long userId, String deviceId) {
    return h.createQuery(
            "SELECT "
                + COLUMNS
                + " FROM usr.sessions"
                + " WHERE user_id = :userId AND device_id = :deviceId AND revoked_at IS NULL FOR NO KEY UPDATE")
        .bind("userId", userId)
        .bind("deviceId", deviceId)
        .map(Sessions::map)
        .findOne();
  }

  /**
   * @return whether an active session was revoked now
   */
  public boolean revoke(Handle h, long sessionId, String reason, Instant now) {
    return h.createUpdate(
                "UPDATE usr.sessions SET revoked_at = :now, revoke_reason = :reason"
                    + " WHERE session_id = :id AND revoked_at IS NULL")
            .bind("id", sessionId)
            .bind("reason", reason)
            .bind("now", ts(now))
            .execute()
        == 1;
  }

  /**
   * @return whether the session is (still) active
   */
  public boolean touch(Handle h, long sessionId, String ip, Instant now) {
    return h.createUpdate(
                "UPDATE usr.sessions SET last_seen_at = GREATEST(last_seen_at, :now),"
                    + " last_ip = CASE WHEN :ip = '' THEN last_ip ELSE :ip END"
                    + " WHERE session_id = :id AND revoked_at IS NULL")
            .bind("id", sessionId)
            .bind("ip", ip)
            .bind("now", ts(now))
            .execute()
        == 1;
  }

  private static Session map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Session(
        rs.getLong("session_id"),
        rs.getLong("user_id"),
        rs.getString("device_id"),
        Platform.fromDb(rs.getString("platform")),
        rs.getString("device_name"),
        rs.getString("created_ip"),
        rs.getString("last_ip"),
        Objects.requireNonNull(instant(rs, "created_at")),
        Objects.requireNonNull(instant(rs, "last_seen_at")),
        instant(rs, "revoked_at"),
        rs.getString("revoke_reason"));
  }
}
