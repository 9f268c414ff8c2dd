package dev.parley.file.image;

import java.awt.image.BufferedImage;

/**
 * Applies an EXIF orientation to pixels, so thumbnails look the way the camera was held and need no
 * metadata. Done on the scaled image (cheap), by moving pixels: exact, no resampling.
 */
final class Orientations {
  private Orientations() {}

  /**
   * @param orientation EXIF 1..8: 2 mirror, 3 turn 180°, 4 flip, 5 transpose, 6 turn 90° clockwise,
   *     7 transverse, 8 turn 90° counter-clockwise
   */
  static BufferedImage apply(BufferedImage image, int orientation) {
    if (orientation < 2 || orientation > 8) return image;
    int w = image.getWidth();
    int h = image.getHeight();
    boolean quarter = orientation >= 5;
    int tw = quarter ? h : w;
    int th = quarter ? w : h;
    int[] source = image.getRGB(0, 0, w, h, null, 0, w);
    int[] target = new int[source.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int tx;
        int ty;
        switch (orientation) {
          case 2 -> {
            tx = w - 1 - x;
            ty = y;
          }
          case 3 -> {
            tx = w - 1 - x;
            ty = h - 1 - y;
          }
          case 4 -> {
            tx = x;
            ty = h - 1 - y;
          }
          case 5 -> {
            tx = y;
            ty = x;
          }
          case 6 -> {
            tx = h - 1 - y;
            ty = x;
          }
          case 7 -> {
            tx = h - 1 - y;
            ty = w - 1 - x;
          }
          default -> { // 8
            tx = y;
            ty = w - 1 - x;
          }
        }
        target[ty * tw + tx] = source[y * w + x];
      }
    }
    BufferedImage turned =
        new BufferedImage(
            tw,
            th,
            image.getColorModel().hasAlpha()
                ? BufferedImage.TYPE_INT_ARGB
                : BufferedImage.TYPE_INT_RGB);
    turned.setRGB(0, 0, tw, th, target, 0, tw);
    return turned;
  }
}
