package dev.parley.file.upload;

import dev.parley.common.error.ParleyException;
import dev.parley.file.db.FileRow;
import dev.parley.file.db.ThumbnailRow;
import dev.parley.file.store.ObjectStore;
import dev.parley.file.store.PresignedUrl;
import dev.parley.proto.client.Error.Reason;
import java.time.Duration;

/**
 * get_download_url's {@code variant}: empty for the original, else a thumbnail slot. A name that
 * can never be a slot is the client's mistake (INVALID_ARGUMENT); a slot this file has no thumbnail
 * for (a small image, a file that is no image, a server with other slots) is NOT_FOUND, and the
 * client takes the largest one FileInfo lists.
 */
final class Variant {
  /** Slots are 16..8192 px (ImageConfig), so at most four digits. */
  private static final String SLOT = "[1-9][0-9]{1,3}";

  private Variant() {}

  static void check(String variant) {
    if (!variant.isEmpty() && !variant.matches(SLOT))
      throw ParleyException.invalid(
          "variant", "variant must be empty (the original) or a thumbnail size such as 320");
  }

  /** A GET of the thumbnail, shown inline: a JPEG without metadata, safe to display. */
  static PresignedUrl presign(ObjectStore store, FileRow f, String variant, Duration ttl) {
    ThumbnailRow t =
        f.blob().thumbnails().stream()
            .filter(row -> row.kind().equals(variant))
            .findFirst()
            .orElseThrow(
                () ->
                    new ParleyException(
                        Reason.NOT_FOUND, "this file has no thumbnail of variant " + variant));
    return store.presignGet(t.objectKey(), t.mimeType(), "inline", ttl);
  }
}
