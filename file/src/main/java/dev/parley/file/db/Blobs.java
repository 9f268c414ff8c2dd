package dev.parley.file.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/** Table access for file.blobs and file.thumbnails. */
public final class Blobs {
  static final String COLUMNS =
      "b.blob_id, b.sha256, b.size, b.object_key, b.mime_type, b.media, b.width, b.height,"
          + " b.created_at, b.animated, b.media_note, b.preview";

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
   * Inserts a newly verified blob with its media facts and derived objects unless one with the same
   * content exists (two uploads of it completing together); returns the blob that holds the content
   * either way. Concurrent inserts of one (sha256, size) wait for each other on the unique index,
   * so exactly one wins; the loser's derived objects are not recorded (its caller deletes them).
   */
  public BlobRow insertOrGet(Handle h, BlobRow blob, MediaOutcome media) {
    int inserted =
        h.createUpdate(
                "INSERT INTO file.blobs (blob_id, sha256, size, object_key, mime_type, media,"
                    + " width, height, preview, animated, media_note, created_at) VALUES (:id,"
                    + " :sha, :size, :key, :mime, :media, :w, :hh, :preview, :animated, :note,"
                    + " :created) ON CONFLICT (sha256, size) DO NOTHING")
            .bind("id", blob.blobId())
            .bind("sha", blob.sha256())
            .bind("size", blob.size())
            .bind("key", blob.objectKey())
            .bind("mime", blob.mimeType())
            .bind("media", media.status())
            .bind("w", media.width())
            .bind("hh", media.height())
            .bind("preview", media.preview().length == 0 ? null : media.preview())
            .bind("animated", media.animated())
            .bind("note", media.note())
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
    for (ThumbnailRow t : media.derived()) {
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
    return findLive(h, blob.blobId()).orElseThrow();
  }

  /** The objects derived from a blob, smallest first. */
  public List<ThumbnailRow> derived(Handle h, long blobId) {
    return h.createQuery(
            "SELECT kind, object_key, mime_type, width, height, size FROM file.thumbnails"
                + " WHERE blob_id = :blob ORDER BY width::bigint * height, kind")
        .bind("blob", blobId)
        .map(
            (rs, ctx) ->
                new ThumbnailRow(
                    rs.getString("kind"),
                    rs.getString("object_key"),
                    rs.getString("mime_type"),
                    rs.getInt("width"),
                    rs.getInt("height"),
                    rs.getLong("size")))
        .list();
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
    byte @Nullable [] preview = rs.getBytes("preview");
    return new BlobRow(
        rs.getLong("blob_id"),
        rs.getBytes("sha256"),
        rs.getLong("size"),
        rs.getString("object_key"),
        rs.getString("mime_type"),
        rs.getString("media"),
        width,
        height,
        Db.required(rs, "created_at"),
        rs.getBoolean("animated"),
        rs.getString("media_note"),
        preview == null ? new byte[0] : preview,
        List.of());
  }
}
