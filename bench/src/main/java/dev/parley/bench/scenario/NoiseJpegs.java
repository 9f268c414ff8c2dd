package dev.parley.bench.scenario;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Real JPEG photos of about a given size for the media scenario: every one different (so the
 * server's dedup never applies), made of smooth colour gradients with noise on top — noise because
 * JPEG cannot compress it away, which is what makes a 1 MB file of modest dimensions, like a phone
 * photo after the app's own recompression.
 */
final class NoiseJpegs {
  private final int width;
  private final int height;

  private NoiseJpegs(int width, int height) {
    this.width = width;
    this.height = height;
  }

  /**
   * Dimensions calibrated so that an image is about {@code targetBytes}: two rounds of scaling a
   * probe, since JPEG's bytes per pixel for this content shift with the size (the gradient gets
   * smoother per block as the image grows), so one round from a small probe overshoots by half.
   */
  static NoiseJpegs ofAbout(int targetBytes) {
    NoiseJpegs guess = new NoiseJpegs(640, 480);
    for (int round = 0; round < 2; round++) {
      double scale = Math.sqrt((double) targetBytes / guess.make(round).length);
      guess =
          new NoiseJpegs(
              Math.max(16, (int) (guess.width * scale)),
              Math.max(12, (int) (guess.height * scale)));
    }
    return guess;
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  /** Image number {@code seed}: the same seed gives the same bytes. */
  byte[] make(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int baseR = random.nextInt(256);
    int baseG = random.nextInt(256);
    int baseB = random.nextInt(256);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int r = clamp(baseR + x * 64 / width + random.nextInt(-40, 41));
        int g = clamp(baseG + y * 64 / height + random.nextInt(-40, 41));
        int b = clamp(baseB + random.nextInt(-40, 41));
        image.setRGB(x, y, r << 16 | g << 8 | b);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
    try {
      if (!ImageIO.write(image, "jpg", out)) throw new IllegalStateException("no JPEG writer");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}
