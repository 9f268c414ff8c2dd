package dev.parley.file.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import net.coobird.thumbnailator.Thumbnails;

/** Fitting sizes and scaling down (Thumbnailator's progressive bilinear: smooth, no moiré). */
final class Scaling {
  private Scaling() {}

  /** {@code width × height} scaled to fit {@code side × side}, never enlarged, at least 1×1. */
  static int[] fit(int width, int height, int side) {
    double scale = Math.min(1.0, (double) side / Math.max(width, height));
    return new int[] {
      (int) Math.max(1, Math.round(width * scale)), (int) Math.max(1, Math.round(height * scale))
    };
  }

  static BufferedImage scale(BufferedImage image, int width, int height) {
    if (image.getWidth() == width && image.getHeight() == height) return image;
    try {
      return Thumbnails.of(image).forceSize(width, height).asBufferedImage();
    } catch (IOException e) { // in memory: only Thumbnailator's declared signature
      throw new UncheckedIOException(e);
    }
  }
}
