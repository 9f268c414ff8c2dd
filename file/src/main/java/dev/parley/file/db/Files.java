package dev.parley.file.db;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Table access for file.files. */
public final class Files {
  public void insert(
      Handle h, long fileId, long ownerId, long blobId, String name, String mime, Instant at) {
    h.createUpdate(
            "INSERT INTO file.files (file_id, owner_id, blob_id, name, mime_type, created_at)"
                + " VALUES (:id, :owner, :blob, :name, :mime, :at)")
        .bind("id", fileId)
        .bind("owner", ownerId)
        .bind("blob", blobId)
        .bind("name", name)
        .bind("mime", mime)
        .bind("at", Db.at(at))
        .execute();
  }

  /**
   * The usable file with its blob, the blob's derived objects included: empty when it does not
   * exist or its content is being deleted.
   */
  public Optional<FileRow> find(Handle h, long fileId) {
    return h.createQuery(
            "SELECT f.file_id, f.owner_id, f.name, f.mime_type AS file_mime, f.created_at AS"
                + " file_created, "
                + Blobs.COLUMNS
                + " FROM file.files f JOIN file.blobs b ON b.blob_id = f.blob_id"
                + " WHERE f.file_id = :id AND b.state = 'live'")
        .bind("id", fileId)
        .map(
            (rs, ctx) ->
                new FileRow(
                    rs.getLong("file_id"),
                    rs.getLong("owner_id"),
                    rs.getString("name"),
                    rs.getString("file_mime"),
                    Db.required(rs, "file_created"),
                    Blobs.row(rs)))
        .findOne()
        .map(f -> f.withBlob(f.blob().withDerived(new Blobs().derived(h, f.blob().blobId()))));
  }
}
