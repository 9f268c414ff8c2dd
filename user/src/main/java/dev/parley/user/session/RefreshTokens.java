package dev.parley.user.session;

import static dev.parley.user.Sql.instant;
import static dev.parley.user.Sql.ts;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/** Table access for {@code usr.refresh_tokens}; tokens are known here only by their SHA-256. */
public final class RefreshTokens {

  /** A stored token. @param usedAt null until the token has been rotated */
  public record StoredToken(long sessionId, Instant expiresAt, @Nullable Instant usedAt) {}

  public void insert(Handle h, byte[] hash, long sessionId, Instant now, Instant expiresAt) {
    h.createUpdate(
            "INSERT INTO usr.refresh_tokens (token_hash, session_id, created_at, expires_at)"
                + " VALUES (:hash, :sessionId, :now, :expiresAt)")
        .bind("hash", hash)
        .bind("sessionId", sessionId)
        .bind("now", ts(now))
        .bind("expiresAt", ts(expiresAt))
        .execute();
  }

  public Optional<StoredToken> find(Handle h, byte[] hash) {
    return h.createQuery(
            "SELECT session_id, expires_at, used_at FROM usr.refresh_tokens WHERE token_hash = :hash")
        .bind("hash", hash)
        .map(
            (rs, ctx) ->
                new StoredToken(
                    rs.getLong("session_id"),
                    Objects.requireNonNull(instant(rs, "expires_at")),
                    instant(rs, "used_at")))
        .findOne();
  }

  /**
   * Marks the token used if it is unused and unexpired. This single conditional UPDATE is what
   * makes rotation race-safe: of two transactions presenting the same token, the second waits for
   * the first's row lock, re-evaluates {@code used_at IS NULL} on the committed row and matches
   * nothing.
   *
   * @return whether this call consumed the token
   */
  public boolean markUsed(Handle h, byte[] hash, Instant now) {
    return h.createUpdate(
                "UPDATE usr.refresh_tokens SET used_at = :now"
                    + " WHERE token_hash = :hash AND used_at IS NULL AND expires_at > :now")
            .bind("hash", hash)
            .bind("now", ts(now))
            .execute()
        == 1;
  }

  public void deleteForSession(Handle h, long sessionId) {
    h.createUpdate("DELETE FROM usr.refresh_tokens WHERE session_id = :sessionId")
        .bind("sessionId", sessionId)
        .execute();
  }

  /**
   * Drops the session's expired tokens: past expiry a used token is merely invalid, not evidence.
   */
  public void purgeExpired(Handle h, long sessionId, Instant now) {
    h.createUpdate(
            "DELETE FROM usr.refresh_tokens WHERE session_id = :sessionId AND expires_at <= :now")
        .bind("sessionId", sessionId)
        .bind("now", ts(now))
        .execute();
  }
}
