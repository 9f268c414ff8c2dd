package dev.parley.file.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Images made in the tests, so that each one shows exactly what it is about. */
public final class TestImages {
  private TestImages() {}

  /** Left half one colour, right half another: shows where the left side ended up after turning. */
  public static BufferedImage halves(int width, int height, Color left, Color right) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(left);
    g.fillRect(0, 0, width / 2, height);
    g.setColor(right);
    g.fillRect(width / 2, 0, width - width / 2, height);
    g.dispose();
    return image;
  }

  static BufferedImage filled(int width, int height, int type, Color color) {
    BufferedImage image = new BufferedImage(width, height, type);
    Graphics2D g = image.createGraphics();
    g.setColor(color);
    g.fillRect(0, 0, width, height);
    g.dispose();
    return image;
  }

  public static byte[] jpeg(BufferedImage image) {
    return jpeg(image, false);
  }

  static byte[] jpeg(BufferedImage image, boolean progressive) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (progressive) param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  public static byte[] encode(BufferedImage image, String format) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, bytes)) throw new IllegalStateException("no " + format);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * A CMYK JPEG (4 components, Adobe APP14), written by the JDK's JPEG writer from a raster: the
   * kind print workflows and some scanners produce.
   */
  static byte[] cmykJpeg(int width, int height) {
    WritableRaster raster =
        Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 4, null);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) raster.setPixel(x, y, new int[] {0, 200, 200, 0});
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(raster, null, null), writer.getDefaultWriteParam());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /** A GIF with one frame per image (an animation when there are several). */
  static byte[] gif(BufferedImage... frames) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.prepareWriteSequence(null);
      for (BufferedImage frame : frames)
        writer.writeToSequence(new IIOImage(frame, null, null), null);
      writer.endWriteSequence();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /**
   * The JPEG with an EXIF segment right after its start marker: IFD0 holds the orientation and a
   * pointer to a GPS IFD with a latitude (big-endian TIFF, written by hand: it is small).
   */
  public static byte[] withExif(byte[] jpeg, int orientation) {
    ByteBuffer tiff = ByteBuffer.allocate(92);
    tiff.put(new byte[] {'M', 'M', 0, 42}).putInt(8);
    // IFD0 at 8: 2 entries of 12 bytes, next-IFD offset 0; ends at 38.
    tiff.putShort((short) 2);
    tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation);
    tiff.putShort((short) 0);
    tiff.putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(38); // GPS IFD pointer
    tiff.putInt(0);
    // GPS IFD at 38: latitude reference "N" and latitude (3 rationals stored at 68); ends at 68.
    tiff.putShort((short) 2);
    tiff.putShort((short) 1).putShort((short) 2).putInt(2).put(new byte[] {'N', 0, 0, 0});
    tiff.putShort((short) 2).putShort((short) 5).putInt(3).putInt(68);
    tiff.putInt(0);
    tiff.putInt(48).putInt(1).putInt(51).putInt(1).putInt(30).putInt(1); // 48° 51' 30"
    byte[] tiffBytes = tiff.array();
    byte[] exifHeader = {'E', 'x', 'i', 'f', 0, 0};
    int length = 2 + exifHeader.length + tiffBytes.length;
    ByteBuffer out = ByteBuffer.allocate(jpeg.length + 2 + length);
    out.put(jpeg, 0, 2); // SOI
    out.put((byte) 0xff).put((byte) 0xe1).putShort((short) length).put(exifHeader).put(tiffBytes);
    out.put(jpeg, 2, jpeg.length - 2);
    return out.array();
  }

  /** A PNG signature and an IHDR claiming {@code width × height} RGB, then IEND: no pixel data. */
  public static byte[] pngHeaderOnly(int width, int height) {
    ByteBuffer out = ByteBuffer.allocate(8 + 25 + 12);
    out.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height);
    ihdr.put(new byte[] {8, 2, 0, 0, 0});
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IEND", new byte[0]);
    return out.array();
  }

  private static void chunk(ByteBuffer out, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    out.putInt(data.length).put(typeBytes).put(data);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.putInt((int) crc.getValue());
  }

  /** A JPEG whose frame header (SOF0) claims {@code width × height}; its data is for less. */
  static byte[] jpegClaiming(byte[] jpeg, int width, int height) {
    byte[] copy = jpeg.clone();
    for (int i = 2; i + 8 < copy.length; i++) {
      if ((copy[i] & 0xff) == 0xff && (copy[i + 1] & 0xff) == 0xc0) {
        copy[i + 5] = (byte) (height >> 8);
        copy[i + 6] = (byte) height;
        copy[i + 7] = (byte) (width >> 8);
        copy[i + 8] = (byte) width;
        return copy;
      }
    }
    throw new IllegalArgumentException("no SOF0");
  }
}
