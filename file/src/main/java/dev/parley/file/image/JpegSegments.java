package dev.parley.file.image;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Copies a JPEG without its metadata, losslessly (the compressed image data is copied byte for
 * byte), and checks on the way that the file is complete.
 *
 * <p>Kept, because decoders need them for the right pixels and colours: APP0 (JFIF), APP2 holding
 * an ICC profile, APP14 (Adobe: how CMYK/YCCK is stored), and every table and frame segment.
 * Removed: APP1 (EXIF with GPS, XMP), APP13 (IPTC), every other APPn (maker notes, MPF), COM
 * comments, and anything after the end-of-image marker (phones append more pictures there, each
 * with its own EXIF). The orientation is the one piece of EXIF a viewer needs, so when it is not 1
 * a minimal EXIF segment holding only the orientation is written in place of the old ones.
 *
 * <p>Completeness: the copy ends at the first EOI marker after the first SOS. Inside compressed
 * data a 0xFF byte is always followed by 0x00 or a restart marker, so that EOI is the real end; a
 * file without one was cut short. (ImageIO's JPEG readers only warn about a missing end and fill
 * the rest with grey.)
 */
final class JpegSegments {
  private static final int SOI = 0xd8;
  private static final int EOI = 0xd9;
  private static final int SOS = 0xda;
  private static final int APP0 = 0xe0;
  private static final int APP2 = 0xe2;
  private static final int APP14 = 0xee;
  private static final int APP15 = 0xef;
  private static final int COM = 0xfe;
  private static final byte[] ICC = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ADOBE = "Adobe".getBytes(StandardCharsets.US_ASCII);

  private JpegSegments() {}

  /**
   * @param orientation EXIF orientation to keep (1..8)
   * @return the number of segments removed, plus one when anything followed the end of the image
   *     (phones append further pictures there, with their own EXIF): 0 means the copy is the file
   * @throws ImageException MALFORMED when the structure is broken or the file ends before EOI
   */
  static int copyWithoutMetadata(InputStream source, OutputStream target, int orientation)
      throws IOException {
    // Both buffered: the scan data is copied a byte at a time (to find its end).
    InputStream in = new BufferedInputStream(source, 65536);
    BufferedOutputStream out = new BufferedOutputStream(target, 65536);
    if (in.read() != 0xff || in.read() != SOI) throw malformed("no JPEG start marker");
    out.write(0xff);
    out.write(SOI);
    boolean orientationWritten = orientation == 1;
    int removed = 0;
    while (true) {
      int marker = nextMarker(in);
      if (marker == SOI || marker == EOI) throw malformed("no image data");
      if (!orientationWritten && marker != APP0) {
        out.write(orientationSegment(orientation));
        orientationWritten = true;
      }
      if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { // no length: stray TEM/RSTn
        out.write(0xff);
        out.write(marker);
        continue;
      }
      int length = (read(in) << 8) | read(in);
      if (length < 2) throw malformed("segment length " + length);
      byte[] payload = in.readNBytes(length - 2);
      if (payload.length != length - 2) throw malformed("truncated in a segment");
      if (!keep(marker, payload)) {
        removed++;
        continue;
      }
      out.write(0xff);
      out.write(marker);
      out.write(length >> 8);
      out.write(length);
      out.write(payload);
      if (marker == SOS) {
        copyScanData(in, out);
        out.flush();
        return in.read() == -1 ? removed : removed + 1;
      }
    }
  }

  private static boolean keep(int marker, byte[] payload) {
    if (marker == APP0) return true;
    if (marker == APP2) return startsWith(payload, ICC);
    if (marker == APP14) return startsWith(payload, ADOBE);
    return !(marker > APP0 && marker <= APP15) && marker != COM;
  }

  /** Everything up to and including the first EOI: later scans and tables, but not what trails. */
  private static void copyScanData(InputStream in, OutputStream out) throws IOException {
    boolean afterFf = false;
    int b;
    while ((b = in.read()) != -1) {
      out.write(b);
      if (afterFf && b == EOI) return;
      afterFf = b == 0xff;
    }
    throw malformed("truncated: no end-of-image marker");
  }

  private static int nextMarker(InputStream in) throws IOException {
    // Stray bytes before a marker: decoders skip them (libjpeg warns "extraneous bytes"); so do we.
    while (read(in) != 0xff) {
      // skipped
    }
    int marker;
    do {
      marker = read(in); // 0xFF fill bytes may precede a marker
    } while (marker == 0xff);
    return marker;
  }

  private static int read(InputStream in) throws IOException {
    int b = in.read();
    if (b == -1) throw malformed("truncated before the image data");
    return b;
  }

  /** APP1 "Exif": a big-endian TIFF header and one IFD with one entry, Orientation (SHORT). */
  static byte[] orientationSegment(int orientation) {
    return new byte[] {
      (byte) 0xff,
      (byte) 0xe1,
      0,
      34, // marker, length (2 + 32)
      'E',
      'x',
      'i',
      'f',
      0,
      0,
      'M',
      'M',
      0,
      42,
      0,
      0,
      0,
      8, // TIFF header, IFD0 at offset 8
      0,
      1, // one entry
      0x01,
      0x12,
      0,
      3,
      0,
      0,
      0,
      1,
      0,
      (byte) orientation,
      0,
      0, // Orientation, SHORT, 1, value
      0,
      0,
      0,
      0 // no next IFD
    };
  }

  private static boolean startsWith(byte[] payload, byte[] prefix) {
    return payload.length >= prefix.length
        && Arrays.equals(payload, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static ImageException malformed(String message) {
    return ImageException.malformed("JPEG " + message, null);
  }
}
