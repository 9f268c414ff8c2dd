package dev.parley.user.auth;

import static dev.parley.user.Sql.instant;
import static dev.parley.user.Sql.ts;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Table access for {@code usr.verification_codes}: one current code per identifier. */
public final class VerificationCodes {

  /**
   * @param forUpdate lock the row until the transaction ends (verification is check-then-write)
   */
  public Optional<StoredCode> find(Handle h, String identifier, boolean forUpdate) {
    return h.createQuery(
            "SELECT identifier, code_hash, created_at, expires_at, attempts FROM usr.verification_codes"
                + " WHERE identifier = :identifier"
                + (forUpdate ? " FOR UPDATE" : ""))
        .bind("identifier", identifier)
        .map(
            (rs, ctx) ->
                new StoredCode(
                    rs.getString("identifier"),
                    rs.getBytes("code_hash"),
                    Objects.requireNonNull(instant(rs, "created_at")),
                    Objects.requireNonNull(instant(rs, "expires_at")),
                    rs.getInt("attempts")))
        .findOne();
  }

  /**
   * Stores a new code for the identifier, replacing the previous one, unless the previous one was
   * created after {@code cooldownCutoff}. The condition is evaluated under the row lock, so two
   * concurrent requests cannot both pass the cool-down.
   *
   * @return false when the cool-down is still running (nothing was written)
   */
  public boolean replace(
      Handle h,
      String identifier,
      byte[] codeHash,
      Instant now,
      Instant expiresAt,
      Instant cooldownCutoff) {
    return h.createQuery(
            """
            INSERT INTO usr.verification_codes (identifier, code_hash, created_at, expires_at, attempts)
            VALUES (:identifier, :hash, :now, :expiresAt, 0)
            ON CONFLICT (identifier) DO UPDATE
              SET code_hash = excluded.code_hash, created_at = excluded.created_at,
                  expires_at = excluded.expires_at, attempts = 0
              WHERE usr.verification_codes.created_at <= :cutoff
            RETURNING identifier""")
        .bind("identifier", identifier)
        .bind("hash", codeHash)
        .bind("now", ts(now))
        .bind("expiresAt", ts(expiresAt))
        .bind("cutoff", ts(cooldownCutoff))
        .mapTo(String.class)
        .findOne()
        .isPresent();
  }

  public void countWrongAttempt(Handle h, String identifier) {
    h.createUpdate(
            "UPDATE usr.verification_codes SET attempts = attempts + 1 WHERE identifier = :identifier")
        .bind("identifier", identifier)
        .execute();
  }

  public void delete(Handle h, String identifier) {
    h.createUpdate("DELETE FROM usr.verification_codes WHERE identifier = :identifier")
        .bind("identifier", identifier)
        .execute();
  }

  /** Removes rows that can matter no more: expired and past their cool-down. */
  public int purge(Handle h, Instant now, Instant cooldownCutoff) {
    return h.createUpdate(
            "DELETE FROM usr.verification_codes WHERE expires_at < :now AND created_at <= :cutoff")
        .bind("now", ts(now))
        .bind("cutoff", ts(cooldownCutoff))
        .execute();
  }
}
