package dev.parley.file.db;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Table access for file.refs and the blob life cycle (design.md 11.3, 11.5).
 *
 * <p><b>Invariant</b>, kept under the blob row's lock (every statement here that changes refs runs
 * after {@link #lock} took it): a live blob's {@code delete_after} is NULL exactly while some file
 * of it is referenced; otherwise it is the time from which the janitor may delete the blob. The
 * janitor takes the same row lock (SKIP LOCKED) and deletes only a blob that is due and has no
 * reference, so a reference and the deletion of its blob cannot both commit.
 */
public final class Refs {
  /** A message reference of a file, as stored. */
  public record MessageRefRow(long fileId, long conversationId, long seq) {}

  /**
   * Locks (FOR UPDATE, ascending blob id) the blobs of the named files and of the files the given
   * entries reference, and returns, for each named file whose blob is live, its blob id. A named
   * file that is missing from the answer does not exist or is being deleted.
   */
  public Map<Long, Long> lock(Handle h, long[] fileIds, long[] entryConvs, long[] entrySeqs) {
    Map<Long, Long> live = new HashMap<>();
    h.createQuery(
            "SELECT f.file_id, b.blob_id, b.state = 'live' AND f.file_id = ANY(:files) AS usable"
                + " FROM file.blobs b JOIN file.files f ON f.blob_id = b.blob_id"
                + " WHERE f.file_id = ANY(:files) OR f.file_id IN (SELECT r.file_id FROM file.refs r"
                + " WHERE (r.conversation_id, r.seq) IN (SELECT * FROM unnest(CAST(:c AS bigint[]),"
                + " CAST(:s AS bigint[]))))"
                + " ORDER BY b.blob_id FOR UPDATE OF b")
        .bindArray("files", Long.class, (Object[]) boxed(fileIds))
        .bindArray("c", Long.class, (Object[]) boxed(entryConvs))
        .bindArray("s", Long.class, (Object[]) boxed(entrySeqs))
        .map(
            (rs, ctx) -> rs.getBoolean("usable") ? new long[] {rs.getLong(1), rs.getLong(2)} : null)
        .forEach(
            row -> {
              if (row != null) live.put(row[0], row[1]);
            });
    return live;
  }

  /**
   * Inserts message references (idempotent) and marks their blobs referenced. The blobs must be
   * locked by {@link #lock} in this transaction and live.
   */
  public void insertMessageRefs(Handle h, List<MessageRefRow> refs, Instant now) {
    if (refs.isEmpty()) return;
    h.createUpdate(
            "INSERT INTO file.refs (file_id, conversation_id, seq, created_at)"
                + " SELECT f, c, s, :now FROM unnest(CAST(:f AS bigint[]), CAST(:c AS bigint[]),"
                + " CAST(:s AS bigint[])) AS t(f, c, s)"
                + " ON CONFLICT (conversation_id, seq, file_id) WHERE conversation_id IS NOT NULL"
                + " DO NOTHING")
        .bindArray("f", Long.class, refs.stream().map(MessageRefRow::fileId).toArray())
        .bindArray("c", Long.class, refs.stream().map(MessageRefRow::conversationId).toArray())
        .bindArray("s", Long.class, refs.stream().map(MessageRefRow::seq).toArray())
        .bind("now", Db.at(now))
        .execute();
    markReferenced(h, refs.stream().map(MessageRefRow::fileId).toArray());
  }

  /** The blobs of these files are referenced now: not due. */
  private static void markReferenced(Handle h, Object[] fileIds) {
    h.createUpdate(
            "UPDATE file.blobs SET delete_after = NULL WHERE delete_after IS NOT NULL AND blob_id IN"
                + " (SELECT blob_id FROM file.files WHERE file_id = ANY(:f))")
        .bindArray("f", Long.class, fileIds)
        .execute();
  }

  /**
   * The blobs of these files (whose references were just deleted) become due at {@code dueAt} if
   * nothing references them any more.
   */
  private static void dueIfUnreferenced(Handle h, List<Long> files, Instant dueAt) {
    if (files.isEmpty()) return;
    h.createUpdate(
            "UPDATE file.blobs b SET delete_after = :due WHERE b.blob_id IN (SELECT blob_id FROM"
                + " file.files WHERE file_id = ANY(:f)) AND NOT EXISTS (SELECT 1 FROM file.refs r"
                + " JOIN file.files f ON f.file_id = r.file_id WHERE f.blob_id = b.blob_id)")
        .bindArray("f", Long.class, files.toArray())
        .bind("due", Db.at(dueAt))
        .execute();
  }

  /**
   * Deletes the references of these entries; a blob left without any reference becomes due at
   * {@code dueAt}. The blobs must be locked by {@link #lock} in this transaction. Two statements: a
   * data-modifying WITH would not let the update see the deletion.
   */
  public void deleteMessageRefs(Handle h, long[] convs, long[] seqs, Instant dueAt) {
    if (convs.length == 0) return;
    List<Long> files =
        h.createQuery(
                "DELETE FROM file.refs WHERE conversation_id IS NOT NULL AND (conversation_id, seq)"
                    + " IN (SELECT * FROM unnest(CAST(:c AS bigint[]), CAST(:s AS bigint[])))"
                    + " RETURNING file_id")
            .bindArray("c", Long.class, (Object[]) boxed(convs))
            .bindArray("s", Long.class, (Object[]) boxed(seqs))
            .mapTo(Long.class)
            .list();
    dueIfUnreferenced(h, files, dueAt);
  }

  // --- avatars ---

  /** A new avatar generation: references taken later carry larger ones. */
  public long nextAvatarGeneration(Handle h) {
    return h.createQuery("SELECT nextval('file.avatar_generations')").mapTo(Long.class).one();
  }

  /**
   * {@code userId}'s avatar is (about to be) {@code fileId}: inserts the reference, or moves an
   * existing one to {@code generation}, and marks the blob referenced. The blob must be locked by
   * {@link #lock} in this transaction and live.
   */
  public void insertAvatarRef(Handle h, long userId, long fileId, long generation, Instant now) {
    h.createUpdate(
            "INSERT INTO file.refs (file_id, avatar_user_id, generation, created_at)"
                + " VALUES (:f, :u, :g, :now) ON CONFLICT (avatar_user_id, file_id)"
                + " WHERE avatar_user_id IS NOT NULL DO UPDATE SET generation = EXCLUDED.generation")
        .bind("f", fileId)
        .bind("u", userId)
        .bind("g", generation)
        .bind("now", Db.at(now))
        .execute();
    markReferenced(h, new Object[] {fileId});
  }

  /** The files of {@code userId}'s avatar references older than {@code generation}. */
  public long[] avatarFilesBefore(Handle h, long userId, long generation) {
    return h
        .createQuery("SELECT file_id FROM file.refs WHERE avatar_user_id = :u AND generation < :g")
        .bind("u", userId)
        .bind("g", generation)
        .mapTo(Long.class)
        .stream()
        .mapToLong(Long::longValue)
        .toArray();
  }

  /**
   * Deletes {@code userId}'s avatar references older than {@code generation}; a blob left without
   * any reference becomes due at {@code dueAt}. The blobs must be locked by {@link #lock}.
   */
  public void deleteAvatarRefs(Handle h, long userId, long generation, Instant dueAt) {
    List<Long> files =
        h.createQuery(
                "DELETE FROM file.refs WHERE avatar_user_id = :u AND generation < :g"
                    + " RETURNING file_id")
            .bind("u", userId)
            .bind("g", generation)
            .mapTo(Long.class)
            .list();
    dueIfUnreferenced(h, files, dueAt);
  }

  /** The users whose avatar references this file. */
  public List<Long> avatarOwnersOf(Handle h, long fileId) {
    return h.createQuery(
            "SELECT avatar_user_id FROM file.refs WHERE file_id = :f AND avatar_user_id IS NOT NULL")
        .bind("f", fileId)
        .mapTo(Long.class)
        .list();
  }

  /**
   * A new file on a blob (a completed upload, possibly of content stored before): locks the blob
   * and, unless something references it, makes it due no earlier than {@code dueAt} (a file never
   * attached gets the grace from its creation). False when the blob is being deleted: the caller
   * must not add the file.
   */
  public boolean keepForNewFile(Handle h, long blobId, Instant dueAt) {
    return h.createUpdate(
                "UPDATE file.blobs b SET delete_after = CASE WHEN EXISTS (SELECT 1 FROM file.refs r"
                    + " JOIN file.files f ON f.file_id = r.file_id WHERE f.blob_id = b.blob_id)"
                    + " THEN NULL ELSE greatest(coalesce(b.delete_after, :due), :due) END"
                    + " WHERE b.blob_id = :id AND b.state = 'live'")
            .bind("id", blobId)
            .bind("due", Db.at(dueAt))
            .execute()
        == 1;
  }

  /** The messages that reference a file, newest first, at most {@code limit}. */
  public List<MessageRefRow> messageRefsOf(Handle h, long fileId, int limit) {
    return h.createQuery(
            "SELECT file_id, conversation_id, seq FROM file.refs WHERE file_id = :f AND"
                + " conversation_id IS NOT NULL ORDER BY created_at DESC LIMIT :limit")
        .bind("f", fileId)
        .bind("limit", limit)
        .map((rs, ctx) -> new MessageRefRow(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
        .list();
  }

  // --- the janitor ---

  /**
   * Locks (SKIP LOCKED: another instance, or a transaction taking a reference, holds the others) up
   * to {@code limit} blobs that are due at {@code now} or already being deleted, and marks the due
   * ones as being deleted, re-checking under the lock that nothing references them.
   */
  public List<Long> claimDue(Handle h, Instant now, int limit) {
    List<Long> claimed =
        h.createQuery(
                "SELECT b.blob_id FROM file.blobs b WHERE (b.state = 'deleting' OR (b.state ="
                    + " 'live' AND b.delete_after <= :now)) AND NOT EXISTS (SELECT 1 FROM file.refs"
                    + " r JOIN file.files f ON f.file_id = r.file_id WHERE f.blob_id = b.blob_id)"
                    + " ORDER BY b.blob_id LIMIT :limit FOR UPDATE SKIP LOCKED")
            .bind("now", Db.at(now))
            .bind("limit", limit)
            .mapTo(Long.class)
            .list();
    if (claimed.isEmpty()) return claimed;
    h.createUpdate("UPDATE file.blobs SET state = 'deleting' WHERE blob_id = ANY(:ids)")
        .bindArray("ids", Long.class, claimed.toArray())
        .execute();
    return claimed;
  }

  /** Every object key of a blob: the original and its derived objects. */
  public List<String> objectKeys(Handle h, long blobId) {
    List<String> keys = new ArrayList<>();
    keys.addAll(
        h.createQuery("SELECT object_key FROM file.blobs WHERE blob_id = :id")
            .bind("id", blobId)
            .mapTo(String.class)
            .list());
    keys.addAll(
        h.createQuery("SELECT object_key FROM file.thumbnails WHERE blob_id = :id")
            .bind("id", blobId)
            .mapTo(String.class)
            .list());
    return keys;
  }

  /** Forgets a blob whose objects are gone: its thumbnails, files and row. */
  public void deleteBlob(Handle h, long blobId) {
    h.createUpdate("DELETE FROM file.thumbnails WHERE blob_id = :id").bind("id", blobId).execute();
    h.createUpdate("DELETE FROM file.files WHERE blob_id = :id").bind("id", blobId).execute();
    h.createUpdate("DELETE FROM file.blobs WHERE blob_id = :id AND state = 'deleting'")
        .bind("id", blobId)
        .execute();
  }

  private static Long[] boxed(long[] values) {
    Long[] out = new Long[values.length];
    for (int i = 0; i < values.length; i++) out[i] = values[i];
    return out;
  }
}
