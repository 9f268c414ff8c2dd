package dev.parley.file.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/** Table access for file.uploads. */
public final class Uploads {
  private static final String COLUMNS =
      "upload_id, owner_id, file_id, name, mime_type, size, sha256, object_key, multipart_id,"
          + " part_size, part_count, dedup_blob_id, challenge_nonce, challenge_offset,"
          + " challenge_length, state, lease_until, attempt, failure, failure_message, created_at,"
          + " expires_at";

  public void insert(Handle h, UploadRow u) {
    UploadRow.@Nullable Challenge c = u.challenge();
    h.createUpdate(
            "INSERT INTO file.uploads ("
                + COLUMNS
                + ") VALUES (:id, :owner, :file, :name, :mime, :size, :sha, :key, :mp, :ps, :pc,"
                + " :dedup, :nonce, :off, :len, :state, NULL, 0, NULL, NULL, :created, :expires)")
        .bind("id", u.uploadId())
        .bind("owner", u.ownerId())
        .bind("file", u.fileId())
        .bind("name", u.name())
        .bind("mime", u.mimeType())
        .bind("size", u.size())
        .bind("sha", u.sha256())
        .bind("key", u.objectKey())
        .bind("mp", u.multipartId())
        .bind("ps", u.partSize())
        .bind("pc", u.partCount())
        .bind("dedup", u.dedupBlobId())
        .bind("nonce", c == null ? null : c.nonce())
        .bind("off", c == null ? null : c.offset())
        .bind("len", c == null ? null : c.length())
        .bind("state", u.state().db())
        .bind("created", Db.at(u.createdAt()))
        .bind("expires", Db.at(u.expiresAt()))
        .execute();
  }

  /** The caller's upload; someone else's is as absent as a missing one. */
  public Optional<UploadRow> findOwned(Handle h, long uploadId, long ownerId) {
    return h.createQuery(
            "SELECT " + COLUMNS + " FROM file.uploads WHERE upload_id = :id AND owner_id = :o")
        .bind("id", uploadId)
        .bind("o", ownerId)
        .map((rs, ctx) -> row(rs))
        .findOne();
  }

  public Optional<UploadRow> lock(Handle h, long uploadId) {
    return h.createQuery(
            "SELECT " + COLUMNS + " FROM file.uploads WHERE upload_id = :id FOR UPDATE")
        .bind("id", uploadId)
        .map((rs, ctx) -> row(rs))
        .findOne();
  }

  /** Takes the completion lease: COMPLETING until {@code until}, the attempt counted up. */
  public void lease(Handle h, long uploadId, Instant until) {
    h.createUpdate(
            "UPDATE file.uploads SET state = 'completing', lease_until = :until,"
                + " attempt = attempt + 1 WHERE upload_id = :id")
        .bind("until", Db.at(until))
        .bind("id", uploadId)
        .execute();
  }

  /**
   * Extends the lease of a completion that is still working; false when this attempt no longer
   * holds it (presumed dead and taken over, or finished).
   */
  public boolean renewLease(Handle h, long uploadId, int attempt, Instant until) {
    return h.createUpdate(
                "UPDATE file.uploads SET lease_until = :until WHERE upload_id = :id"
                    + " AND state = 'completing' AND attempt = :attempt")
            .bind("until", Db.at(until))
            .bind("id", uploadId)
            .bind("attempt", attempt)
            .execute()
        == 1;
  }

  /** Gives the lease back: the upload is OPEN again (parts are still missing). */
  public void release(Handle h, long uploadId, int attempt) {
    h.createUpdate(
            "UPDATE file.uploads SET state = 'open', lease_until = NULL"
                + " WHERE upload_id = :id AND state = 'completing' AND attempt = :attempt")
        .bind("id", uploadId)
        .bind("attempt", attempt)
        .execute();
  }

  /** Marks a dedup upload done at once (its proof was right): no bytes, no lease. */
  public boolean finishOpen(Handle h, long uploadId, Instant now) {
    return h.createUpdate(
                "UPDATE file.uploads SET state = 'done', finished_at = :now"
                    + " WHERE upload_id = :id AND state = 'open'")
            .bind("now", Db.at(now))
            .bind("id", uploadId)
            .execute()
        == 1;
  }

  /** The challenge is answered once, right or wrong. */
  public void spendChallenge(Handle h, long uploadId) {
    h.createUpdate(
            "UPDATE file.uploads SET dedup_blob_id = NULL, challenge_nonce = NULL,"
                + " challenge_offset = NULL, challenge_length = NULL WHERE upload_id = :id")
        .bind("id", uploadId)
        .execute();
  }

  /**
   * Ends the upload if this attempt still holds it; false when another completion took it over
   * (this one was presumed dead and must not commit).
   */
  public boolean finish(
      Handle h,
      long uploadId,
      int attempt,
      UploadState state,
      @Nullable String failure,
      @Nullable String message,
      Instant now) {
    return h.createUpdate(
                "UPDATE file.uploads SET state = :state, failure = :failure, failure_message = :msg,"
                    + " lease_until = NULL, finished_at = :now"
                    + " WHERE upload_id = :id AND state = 'completing' AND attempt = :attempt")
            .bind("state", state.db())
            .bind("failure", failure)
            .bind("msg", message)
            .bind("now", Db.at(now))
            .bind("id", uploadId)
            .bind("attempt", attempt)
            .execute()
        == 1;
  }

  /** Open uploads past their expiry, locked for this janitor pass (other instances skip them). */
  public List<UploadRow> lockExpired(Handle h, Instant now, int limit) {
    return h.createQuery(
            "SELECT "
                + COLUMNS
                + " FROM file.uploads WHERE state = 'open' AND expires_at <= :now"
                + " ORDER BY expires_at LIMIT :limit FOR UPDATE SKIP LOCKED")
        .bind("now", Db.at(now))
        .bind("limit", limit)
        .map((rs, ctx) -> row(rs))
        .list();
  }

  public void markExpired(Handle h, long uploadId, Instant now) {
    h.createUpdate(
            "UPDATE file.uploads SET state = 'expired', finished_at = :now WHERE upload_id = :id")
        .bind("now", Db.at(now))
        .bind("id", uploadId)
        .execute();
  }

  /** Ids of completions whose lease ran out: their process died or hung. */
  public List<Long> staleCompletions(Handle h, Instant now, int limit) {
    return h.createQuery(
            "SELECT upload_id FROM file.uploads WHERE state = 'completing' AND lease_until <= :now"
                + " ORDER BY lease_until LIMIT :limit")
        .bind("now", Db.at(now))
        .bind("limit", limit)
        .mapTo(Long.class)
        .list();
  }

  /** Deletes failed and expired uploads finished before {@code cutoff}. */
  public int deleteFinishedBefore(Handle h, Instant cutoff, int limit) {
    return h.createUpdate(
            "DELETE FROM file.uploads WHERE upload_id IN (SELECT upload_id FROM file.uploads"
                + " WHERE state IN ('failed', 'expired') AND finished_at < :cutoff LIMIT :limit)")
        .bind("cutoff", Db.at(cutoff))
        .bind("limit", limit)
        .execute();
  }

  /** Whether a multipart upload still belongs to an upload that may use it. */
  public boolean multipartInUse(Handle h, String objectKey, String multipartId) {
    return h.createQuery(
                "SELECT count(*) FROM file.uploads WHERE object_key = :key AND multipart_id = :mp"
                    + " AND state IN ('open', 'completing')")
            .bind("key", objectKey)
            .bind("mp", multipartId)
            .mapTo(Integer.class)
            .one()
        > 0;
  }

  private static UploadRow row(ResultSet rs) throws SQLException {
    byte[] nonce = rs.getBytes("challenge_nonce");
    UploadRow.@Nullable Challenge challenge =
        nonce == null
            ? null
            : new UploadRow.Challenge(
                nonce, rs.getLong("challenge_offset"), rs.getLong("challenge_length"));
    long dedup = rs.getLong("dedup_blob_id");
    @Nullable Long dedupBlobId = rs.wasNull() ? null : dedup;
    return new UploadRow(
        rs.getLong("upload_id"),
        rs.getLong("owner_id"),
        rs.getLong("file_id"),
        rs.getString("name"),
        rs.getString("mime_type"),
        rs.getLong("size"),
        rs.getBytes("sha256"),
        rs.getString("object_key"),
        rs.getString("multipart_id"),
        rs.getLong("part_size"),
        rs.getInt("part_count"),
        dedupBlobId,
        challenge,
        UploadState.of(rs.getString("state")),
        Db.instant(rs, "lease_until"),
        rs.getInt("attempt"),
        rs.getString("failure"),
        rs.getString("failure_message"),
        Db.required(rs, "created_at"),
        Db.required(rs, "expires_at"));
  }
}
