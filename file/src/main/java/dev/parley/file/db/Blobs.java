package dev.parley.file.db;

import dev.parley.file.media.MediaResult;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/** Table access for file.blobs and file.thumbnails. */
public final class Blobs {
  static final String COLUMNS =
      "b.blob_id, b.sha256, b.size, b.object_key, b.mime_type, b.media, b.width, b.height,"
          + " b.created_at";

  /** The live blob with this content, if the service has verified such content before. */
  public Optional<BlobRow> findLive(Handle h, byte[] sha256, long size) {
    return h.createQuery(
            "SELECT "
                + COLUMNS
                + " FROM file.blobs b WHERE sha256 = :sha AND size = :size AND state = 'live'")
        .bind("sha", sha256)
        .bind("size", size)
        .map((rs, ctx) -> row(rs))
        .findOne();
  }

  public Optional<BlobRow> findLive(Handle h, long blobId) {
    return h.createQuery(
            "SELECT " + COLUMNS + " FROM file.blobs b WHERE blob_id = :id AND state = 'live'")
        .bind("id", blobId)
        .map((rs, ctx) -> row(rs))
        .findOne();
  }

  /**
   * Inserts a newly verified blob unless one with the same content exists (two uploads of it
   * completing together); returns the blob that holds the content either way. Concurrent inserts of
   * one (sha256, size) wait for each other on the unique index, so exactly one wins.
   */
  public BlobRow insertOrGet(Handle h, BlobRow blob, MediaOutcome media) {
    MediaResult result = media.result();
    int inserted =
        h.createUpdate(
                "INSERT INTO file.blobs (blob_id, sha256, size, object_key, mime_type, media,"
                    + " width, height, preview, created_at) VALUES (:id, :sha, :size, :key, :mime,"
                    + " :media, :w, :hh, :preview, :created) ON CONFLICT (sha256, size) DO NOTHING")
            .bind("id", blob.blobId())
            .bind("sha", blob.sha256())
            .bind("size", blob.size())
            .bind("key", blob.objectKey())
            .bind("mime", blob.mimeType())
            .bind("media", blob.media())
            .bind("w", blob.width())
            .bind("hh", blob.height())
            .bind("preview", result == null ? null : result.preview())
            .bind("created", Db.at(blob.createdAt()))
            .execute();
    if (inserted == 0) {
      return h.createQuery(
              "SELECT " + COLUMNS + " FROM file.blobs b WHERE sha256 = :sha AND size = :size")
          .bind("sha", blob.sha256())
          .bind("size", blob.size())
          .map((rs, ctx) -> row(rs))
          .one();
    }
    if (result != null) {
      for (MediaResult.Thumbnail t : result.thumbnails()) {
        h.createUpdate(
                "INSERT INTO file.thumbnails (blob_id, kind, object_key, mime_type, width, height,"
                    + " size) VALUES (:blob, :kind, :key, :mime, :w, :hh, :size)")
            .bind("blob", blob.blobId())
            .bind("kind", t.kind())
            .bind("key", t.objectKey())
            .bind("mime", t.mimeType())
            .bind("w", t.width())
            .bind("hh", t.height())
            .bind("size", t.size())
            .execute();
      }
    }
    return blob;
  }

  /** Whether any blob or thumbnail is stored under this key. */
  public boolean keyInUse(Handle h, String objectKey) {
    return h.createQuery(
            "SELECT EXISTS (SELECT 1 FROM file.blobs WHERE object_key = :k)"
                + " OR EXISTS (SELECT 1 FROM file.thumbnails WHERE object_key = :k)")
        .bind("k", objectKey)
        .mapTo(Boolean.class)
        .one();
  }

  static BlobRow row(ResultSet rs) throws SQLException {
    int w = rs.getInt("width");
    @Nullable Integer width = rs.wasNull() ? null : w;
    int hh = rs.getInt("height");
    @Nullable Integer height = rs.wasNull() ? null : hh;
    return new BlobRow(
        rs.getLong("blob_id"),
        rs.getBytes("sha256"),
        rs.getLong("size"),
        rs.getString("object_key"),
        rs.getString("mime_type"),
        rs.getString("media"),
        width,
        height,
        Db.required(rs, "created_at"));
  }
}
