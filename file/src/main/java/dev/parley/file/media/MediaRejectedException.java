package dev.parley.file.media;

/** The content must not be stored: a decompression bomb, an image that cannot be decoded. */
public final class MediaRejectedException extends RuntimeException {
  public MediaRejectedException(String message) {
    super(message);
  }
}
