package dev.parley.file.db;

/**
 * One row of file.thumbnails: an object derived from a blob. Kinds: a thumbnail slot ("320",
 * "1280": what clients pass as get_download_url's variant) or {@link #STRIPPED_ORIGINAL}.
 */
public record ThumbnailRow(
    String kind, String objectKey, String mimeType, int width, int height, long size) {
  /** The original without its metadata (EXIF with GPS, XMP, ...): what downloads of it serve. */
  public static final String STRIPPED_ORIGINAL = "stripped";

  public boolean isThumbnail() {
    return !kind.equals(STRIPPED_ORIGINAL);
  }
}
