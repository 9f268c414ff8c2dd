package dev.parley.file.image;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What processing made of one original.
 *
 * @param mimeType the type sniffed from the content (not the declared one); empty when the content
 *     is none of the formats we know
 * @param width width as displayed (after EXIF orientation); 0 when unknown
 * @param height height as displayed; 0 when unknown
 * @param animated more than one frame (GIF, WebP): thumbnails show the first
 * @param thumbnails one per slot, smallest first; slots larger than the image are left out after
 *     the first that holds it whole; empty when there is no decoder
 * @param preview the inline preview: a complete baseline JPEG of at most {@code preview-max-bytes}
 *     and at most {@link InlinePreview#MAX_SIDE} px (docs/design.md "Image processing"); empty when
 *     there are no thumbnails
 * @param strippedOriginal a temporary file holding the original without metadata (JPEG or PNG, with
 *     {@code strip-original}, when there was metadata to remove); the caller stores and deletes it
 * @param note why there are no thumbnails (e.g. {@link #UNSUPPORTED}); empty otherwise
 * @param took processing time, queueing excluded
 */
@SuppressWarnings("ArrayRecordComponent") // bytes on their way into a message, never compared
public record ImageResult(
    String mimeType,
    int width,
    int height,
    boolean animated,
    List<Thumbnail> thumbnails,
    byte[] preview,
    @Nullable Path strippedOriginal,
    String note,
    Duration took) {
  public static final String UNSUPPORTED = "no thumbnail: unsupported format";

  public ImageResult {
    thumbnails = List.copyOf(thumbnails);
  }

  static ImageResult unsupported(String mimeType, int width, int height, Duration took) {
    return new ImageResult(
        mimeType, width, height, false, List.of(), new byte[0], null, UNSUPPORTED, took);
  }
}
