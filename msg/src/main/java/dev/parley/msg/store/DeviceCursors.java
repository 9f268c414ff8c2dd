package dev.parley.msg.store;

import java.time.Instant;
import org.jdbi.v3.core.Handle;

/** Table access for msg.device_cursors: each device's acknowledged feed position. */
public final class DeviceCursors {

  /** Moves the session's cursor forward to {@code pts} (never backwards). */
  public void advance(Handle h, long sessionId, long userId, long pts, Instant at) {
    h.createUpdate(
            "INSERT INTO msg.device_cursors (session_id, user_id, acked_pts, updated_at) VALUES (:s, :u, :p, :at) "
                + "ON CONFLICT (session_id) DO UPDATE SET acked_pts = greatest(msg.device_cursors.acked_pts, :p), updated_at = :at")
        .bind("s", sessionId)
        .bind("u", userId)
        .bind("p", pts)
        .bind("at", Times.db(at))
        .execute();
  }
}
