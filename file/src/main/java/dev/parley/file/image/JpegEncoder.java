package dev.parley.file.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.plugins.jpeg.JPEGImageWriteParam;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Writes baseline JPEG (JFIF, 8-bit YCbCr) with no metadata at all: no EXIF, hence no GPS, in
 * anything we make.
 *
 * <p>Transparent pixels are put on white first: {@code ImageIO.write(argb, "jpg", ..)} silently
 * writes nothing (it returns false), and dropping the alpha channel instead would show whatever
 * colour the transparent pixels hold, usually black.
 */
final class JpegEncoder {
  private JpegEncoder() {}

  /**
   * @param optimizeHuffman per-image Huffman tables: a few hundred bytes less, which matters for
   *     the inline preview only
   */
  static byte[] encode(BufferedImage image, double quality, boolean optimizeHuffman) {
    BufferedImage rgb = opaque(image);
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    if (!writers.hasNext()) throw new IllegalStateException("no JPEG writer");
    ImageWriter writer = writers.next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    // In memory: ImageIO.createImageOutputStream would cache through a temporary file.
    try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality((float) quality);
      if (optimizeHuffman && param instanceof JPEGImageWriteParam jpeg) {
        jpeg.setOptimizeHuffmanTables(true);
      }
      writer.write(null, new IIOImage(rgb, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException("JPEG encoding into memory failed", e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /**
   * Without alpha: transparent parts on white, the backdrop most viewers show behind transparency.
   */
  static BufferedImage opaque(BufferedImage image) {
    if (!image.getColorModel().hasAlpha()) return image;
    BufferedImage rgb =
        new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = rgb.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, rgb.getWidth(), rgb.getHeight());
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return rgb;
  }
}
