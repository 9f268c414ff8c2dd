package dev.parley.user.push;

import static dev.parley.user.Sql.instant;
import static dev.parley.user.Sql.ts;

import dev.parley.user.session.Platform;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jdbi.v3.core.Handle;

/** Table access for {@code usr.push_targets}: at most one row per session. */
public final class PushTargets {

  /**
   * Stores the session's target, replacing its previous one, and takes the address away from any
   * other session that had it (in this transaction, so the unique index never trips).
   */
  public void put(
      Handle h,
      long sessionId,
      long userId,
      PushTarget target,
      boolean notifyWhileConnected,
      Instant now) {
    h.createUpdate(
            "DELETE FROM usr.push_targets"
                + " WHERE service = :service AND address = :address AND session_id <> :session")
        .bind("service", target.service())
        .bind("address", target.address())
        .bind("session", sessionId)
        .execute();
    String environment = null;
    String topic = null;
    String p256dh = null;
    String auth = null;
    switch (target) {
      case PushTarget.Fcm f -> {}
      case PushTarget.Apns a -> {
        environment = a.environment();
        topic = a.topic();
      }
      case PushTarget.WebPush w -> {
        p256dh = w.p256dh();
        auth = w.auth();
      }
    }
    h.createUpdate(
            "INSERT INTO usr.push_targets (session_id, user_id, service, address, apns_environment,"
                + " apns_topic, webpush_p256dh, webpush_auth, notify_while_connected, registered_at)"
                + " VALUES (:session, :user, :service, :address, :environment, :topic, :p256dh,"
                + " :auth, :whileConnected, :now)"
                + " ON CONFLICT (session_id) DO UPDATE SET service = excluded.service,"
                + " address = excluded.address, apns_environment = excluded.apns_environment,"
                + " apns_topic = excluded.apns_topic, webpush_p256dh = excluded.webpush_p256dh,"
                + " webpush_auth = excluded.webpush_auth,"
                + " notify_while_connected = excluded.notify_while_connected,"
                + " registered_at = excluded.registered_at")
        .bind("session", sessionId)
        .bind("user", userId)
        .bind("service", target.service())
        .bind("address", target.address())
        .bind("environment", environment)
        .bind("topic", topic)
        .bind("p256dh", p256dh)
        .bind("auth", auth)
        .bind("whileConnected", notifyWhileConnected)
        .bind("now", ts(now))
        .execute();
  }

  /**
   * @return whether the session had a target
   */
  public boolean deleteForSession(Handle h, long sessionId) {
    return h.createUpdate("DELETE FROM usr.push_targets WHERE session_id = :session")
            .bind("session", sessionId)
            .execute()
        == 1;
  }

  /**
   * Deletes the session's target if its address is still this one: a provider refused the address,
   * and a session that registered a new one meanwhile keeps it.
   *
   * @return whether a target was deleted
   */
  public boolean deleteIfAddress(Handle h, long sessionId, String address) {
    return h.createUpdate(
                "DELETE FROM usr.push_targets WHERE session_id = :session AND address = :address")
            .bind("session", sessionId)
            .bind("address", address)
            .execute()
        == 1;
  }

  /** The push service (fcm, apns, webpush) of each of the user's sessions that has a target. */
  public Map<Long, String> servicesOf(Handle h, long userId) {
    Map<Long, String> services = new HashMap<>();
    h.createQuery("SELECT session_id, service FROM usr.push_targets WHERE user_id = :user")
        .bind("user", userId)
        .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2)))
        .forEach(e -> services.put(e.getKey(), e.getValue()));
    return services;
  }

  /**
   * The targets of the users' active sessions, by user id then session id. The join with the
   * session is a second guard: a revoked session's target is deleted with the revocation already.
   */
  public List<SessionPushTarget> ofUsers(Handle h, Collection<Long> userIds) {
    return h.createQuery(
            "SELECT t.*, s.device_id, s.platform FROM usr.push_targets t"
                + " JOIN usr.sessions s ON s.session_id = t.session_id AND s.revoked_at IS NULL"
                + " WHERE t.user_id = ANY(:users) ORDER BY t.user_id, t.session_id")
        .bindArray("users", Long.class, userIds.toArray())
        .map(PushTargets::map)
        .list();
  }

  private static SessionPushTarget map(
      ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws SQLException {
    String address = rs.getString("address");
    PushTarget target =
        switch (rs.getString("service")) {
          case "fcm" -> new PushTarget.Fcm(address);
          case "apns" ->
              new PushTarget.Apns(
                  address, rs.getString("apns_environment"), rs.getString("apns_topic"));
          case "webpush" ->
              new PushTarget.WebPush(
                  address, rs.getString("webpush_p256dh"), rs.getString("webpush_auth"));
          default ->
              throw new IllegalStateException("unknown push service " + rs.getString("service"));
        };
    return new SessionPushTarget(
        rs.getLong("user_id"),
        rs.getLong("session_id"),
        rs.getString("device_id"),
        Platform.fromDb(rs.getString("platform")),
        target,
        rs.getBoolean("notify_while_connected"),
        Objects.requireNonNull(instant(rs, "registered_at")));
  }
}
