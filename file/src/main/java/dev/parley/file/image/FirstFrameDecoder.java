package dev.parley.file.image;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes the first frame of an image whose header passed the pixel limit, subsampled while reading
 * by the step {@code longest side / (2 × largest slot)}: what it holds has a longest side below 4 ×
 * the largest slot whatever the original's size (a 12 MP photo is decoded whole; smooth scaling
 * needs the pixels, and subsampling only drops them).
 *
 * <p>The reader is registered with the job's {@link AbortSignal}: on timeout {@code
 * ImageReader.abort()} stops the decoding loop from the waiting thread (ImageIO readers ignore
 * interrupts, but check the abort flag between rows or scans).
 */
final class FirstFrameDecoder {
  private FirstFrameDecoder() {}

  /**
   * @param largestSide the longest side the caller will scale to; the decoded image keeps at least
   *     twice that so that the scaling stays smooth
   */
  static BufferedImage decode(
      ImageSource source, ImageHeader header, int largestSide, AbortSignal abort) {
    int longest = Math.max(header.width(), header.height());
    int step = Math.max(1, longest / (2 * largestSide));
    BufferedImage image;
    try (ImageInputStream in = source.openImageStream()) {
      ImageReader reader = HeaderReader.reader(header.format());
      abort.onAbort(reader::abort);
      try {
        reader.setInput(in, true, false);
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceSubsampling(step, step, 0, 0);
        image = reader.read(0, param);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      abort.throwIfAborted();
      throw ImageException.malformed("cannot decode the " + header.format() + " image", e);
    }
    abort.throwIfAborted();
    long expectedMax = ((long) header.width() / step + 1) * ((long) header.height() / step + 1);
    if (image.getWidth() < 1
        || image.getHeight() < 1
        || (long) image.getWidth() * image.getHeight() > expectedMax) {
      // A reader that decodes something else than the header announced: never trust it further.
      throw ImageException.malformed(
          "decoded "
              + image.getWidth()
              + "x"
              + image.getHeight()
              + " from a header of "
              + header.width()
              + "x"
              + header.height(),
          null);
    }
    return standardType(image);
  }

  /**
   * Palette, 16-bit, grey and custom rasters become 8-bit (A)RGB, which the scaler and the JPEG
   * encoder handle alike.
   */
  private static BufferedImage standardType(BufferedImage image) {
    int type = image.getType();
    if (type == BufferedImage.TYPE_INT_RGB
        || type == BufferedImage.TYPE_INT_ARGB
        || type == BufferedImage.TYPE_3BYTE_BGR
        || type == BufferedImage.TYPE_4BYTE_ABGR) {
      return image;
    }
    BufferedImage converted =
        new BufferedImage(
            image.getWidth(),
            image.getHeight(),
            image.getColorModel().hasAlpha()
                ? BufferedImage.TYPE_INT_ARGB
                : BufferedImage.TYPE_INT_RGB);
    Graphics2D g = converted.createGraphics();
    try {
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return converted;
  }
}
