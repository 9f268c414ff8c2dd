package dev.parley.file.image;

/**
 * What the header of an image says, read without decoding pixels.
 *
 * @param width stored width, before EXIF orientation
 * @param height stored height, before EXIF orientation
 * @param orientation EXIF orientation 1..8 (1: as stored)
 * @param animated more than one frame (GIF, WebP)
 */
record ImageHeader(ImageFormat format, int width, int height, int orientation, boolean animated) {

  /** Orientations 5 to 8 turn the image by a quarter. */
  boolean quarterTurned() {
    return orientation >= 5;
  }

  int displayWidth() {
    return quarterTurned() ? height : width;
  }

  int displayHeight() {
    return quarterTurned() ? width : height;
  }

  long pixels() {
    return (long) width * height;
  }
}
