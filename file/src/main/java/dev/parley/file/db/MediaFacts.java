package dev.parley.file.db;

import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * What the image processor stored for a blob, as a message shows it: the inline preview and the
 * thumbnails (file.blobs.preview, file.thumbnails).
 *
 * @param preview empty when there is none
 * @param thumbnails smallest first
 */
public record MediaFacts(byte[] preview, List<Thumb> thumbnails) {
  public MediaFacts {
    preview = preview.clone();
    thumbnails = List.copyOf(thumbnails);
  }

  @Override
  public byte[] preview() {
    return preview.clone();
  }

  /** A thumbnail: its variant (the slot, e.g. "320") and what it holds. */
  public record Thumb(String variant, int width, int height, long size) {}

  public static MediaFacts of(Handle h, long blobId) {
    byte[] preview =
        h.createQuery("SELECT preview FROM file.blobs WHERE blob_id = :id")
            .bind("id", blobId)
            .map((rs, ctx) -> rs.getBytes(1))
            .findOne()
            .orElse(null);
    List<Thumb> thumbs =
        h.createQuery(
                "SELECT kind, width, height, size FROM file.thumbnails WHERE blob_id = :id"
                    + " ORDER BY width * height, kind")
            .bind("id", blobId)
            .map((rs, ctx) -> new Thumb(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getLong(4)))
            .list();
    return new MediaFacts(preview == null ? new byte[0] : preview, thumbs);
  }
}
