package dev.parley.file.media;

import java.util.List;

/**
 * What a processor found and made.
 *
 * @param width pixels, after applying the orientation
 * @param height pixels, after applying the orientation
 * @param preview a tiny inline preview carried in messages (a few hundred bytes), or empty
 * @param thumbnails derived objects the processor stored
 */
public record MediaResult(int width, int height, byte[] preview, List<Thumbnail> thumbnails) {
  public MediaResult {
    preview = preview.clone();
    thumbnails = List.copyOf(thumbnails);
  }

  @Override
  public byte[] preview() {
    return preview.clone();
  }

  /** A stored derivative of the original, e.g. kind "320" for a 320 px thumbnail. */
  public record Thumbnail(
      String kind, String objectKey, String mimeType, int width, int height, long size) {}
}
