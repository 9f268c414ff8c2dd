package dev.parley.file.media;

/**
 * The content must not be stored: a decompression bomb, an image that cannot be decoded. The
 * message starts with a stable code (e.g. {@code image_too_many_pixels}) that clients see.
 */
public final class MediaRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MediaRejectedException(String message) {
    super(message);
  }
}
