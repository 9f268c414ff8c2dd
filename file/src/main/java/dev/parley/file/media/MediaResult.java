package dev.parley.file.media;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a processor found and made. The processor stores nothing: the upload core stores the
 * thumbnails and the stripped original under keys derived from the upload's object key, so that it
 * alone decides when objects appear and disappear (a refusal, a lost dedup race).
 *
 * @param width pixels, after applying the orientation; 0 when unknown
 * @param height pixels, after applying the orientation; 0 when unknown
 * @param animated more than one frame (thumbnails show the first)
 * @param preview a tiny inline preview carried in messages (a few hundred bytes), or empty
 * @param thumbnails smallest first; empty when the processor could make none (then {@code note}
 *     says why)
 * @param strippedOriginal a temporary file holding the original without its metadata, when one was
 *     made; the caller stores it and deletes the file
 * @param note why there are no thumbnails, e.g. "no thumbnail: unsupported format"; empty otherwise
 */
@SuppressWarnings("ArrayRecordComponent") // bytes on their way into a row, never compared
public record MediaResult(
    int width,
    int height,
    boolean animated,
    byte[] preview,
    List<Thumbnail> thumbnails,
    @Nullable Path strippedOriginal,
    String note) {
  public MediaResult {
    thumbnails = List.copyOf(thumbnails);
  }

  /** Nothing made, for the reason in {@code note}. */
  public static MediaResult none(String note) {
    return new MediaResult(0, 0, false, new byte[0], List.of(), null, note);
  }

  /**
   * A thumbnail to store.
   *
   * @param variant its name for clients and in its object key, e.g. "320" for the 320 px slot
   */
  @SuppressWarnings("ArrayRecordComponent") // bytes on their way to storage, never compared
  public record Thumbnail(String variant, String mimeType, int width, int height, byte[] content) {}
}
