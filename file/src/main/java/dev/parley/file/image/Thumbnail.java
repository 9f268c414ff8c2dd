package dev.parley.file.image;

/**
 * One thumbnail: a baseline JPEG without metadata.
 *
 * @param slot the configured size it was made for ({@code file.image.thumbnail-sizes}): the image
 *     scaled to fit a slot × slot square, never enlarged
 * @param width its width, as displayed
 * @param height its height, as displayed
 * @param jpeg the encoded bytes; callers do not modify them
 */
@SuppressWarnings("ArrayRecordComponent") // bytes on their way to storage, never compared
public record Thumbnail(int slot, int width, int height, byte[] jpeg) {
  public static final String MIME_TYPE = "image/jpeg";

  public String mimeType() {
    return MIME_TYPE;
  }
}
