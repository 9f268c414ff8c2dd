package dev.parley.file.image;

import com.drew.imaging.jpeg.JpegMetadataReader;
import com.drew.imaging.jpeg.JpegSegmentMetadataReader;
import com.drew.imaging.webp.WebpMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads dimensions, orientation and animation from an image's header and refuses a decompression
 * bomb before a single pixel is decoded.
 *
 * <p>Every reader used here stops at the header: {@code ImageReader.getWidth(0)} parses PNG's IHDR,
 * JPEG up to its SOF marker, GIF's first image descriptor, WebP's first chunks. EXIF is read with
 * metadata-extractor restricted to JPEG's APP1 and WebP's EXIF chunk; PNG's compressed text chunks
 * are never inflated (metadata-extractor would inflate them whole: a memory bomb of its own).
 */
final class HeaderReader {
  private static final Logger log = LoggerFactory.getLogger(HeaderReader.class);

  private HeaderReader() {}

  /**
   * @param head the first {@link ImageFormat#SNIFF_BYTES} bytes of the source (fewer when it is
   *     shorter), for WebP's feature flags
   * @throws ImageException TOO_MANY_PIXELS above {@code maxPixels}, MALFORMED when the header does
   *     not parse
   */
  static ImageHeader read(ImageSource source, ImageFormat format, byte[] head, long maxPixels) {
    int width;
    int height;
    boolean animated;
    try (ImageInputStream in = source.openImageStream()) {
      ImageReader reader = reader(format);
      try {
        reader.setInput(in, false, true);
        width = reader.getWidth(0);
        height = reader.getHeight(0);
        checkPixels(width, height, maxPixels);
        animated =
            switch (format) {
              case GIF -> reader.getNumImages(true) > 1;
              case WEBP -> webpAnimated(head);
              default -> false;
            };
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof ImageException image) throw image;
      throw ImageException.malformed("unreadable " + format + " header", e);
    }
    return new ImageHeader(format, width, height, orientation(source, format), animated);
  }

  static void checkPixels(long width, long height, long maxPixels) {
    if (width < 1 || height < 1) {
      throw ImageException.malformed("no width or height: " + width + "x" + height, null);
    }
    if (width * height > maxPixels) {
      throw new ImageException(
          ImageException.Failure.TOO_MANY_PIXELS,
          width + "x" + height + " is more than " + maxPixels + " pixels");
    }
  }

  /** The first ImageIO reader of the format: TwelveMonkeys' JPEG reader ranks above the JDK's. */
  static ImageReader reader(ImageFormat format) {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
    if (!readers.hasNext()) throw new IllegalStateException("no ImageIO reader for " + format);
    return readers.next();
  }

  /** VP8X chunk right after the RIFF header, its flags byte has the animation bit (0x02). */
  private static boolean webpAnimated(byte[] head) {
    return head.length > 20
        && head[12] == 'V'
        && head[13] == 'P'
        && head[14] == '8'
        && head[15] == 'X'
        && (head[20] & 0x02) != 0;
  }

  /**
   * EXIF orientation 1..8; 1 when there is none or it cannot be read (a broken EXIF block does not
   * make the picture unusable).
   */
  private static int orientation(ImageSource source, ImageFormat format) {
    if (format != ImageFormat.JPEG && format != ImageFormat.WEBP) return 1;
    try (InputStream in = source.open()) {
      Metadata metadata =
          format == ImageFormat.JPEG
              ? JpegMetadataReader.readMetadata(
                  in, List.<JpegSegmentMetadataReader>of(new ExifReader()))
              : WebpMetadataReader.readMetadata(in);
      ExifIFD0Directory exif = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
      if (exif == null) return 1;
      Integer value = exif.getInteger(ExifIFD0Directory.TAG_ORIENTATION);
      return value != null && value >= 1 && value <= 8 ? value : 1;
    } catch (Exception e) { // metadata-extractor's own and whatever hostile bytes make it throw
      log.debug("EXIF unreadable, orientation taken as 1", e);
      return 1;
    }
  }
}
