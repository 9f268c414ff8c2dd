package dev.parley.file.image;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

/**
 * Copies a PNG without its metadata chunks, losslessly (every other chunk byte for byte, CRCs
 * included).
 *
 * <p>Removed: {@code eXIf} (EXIF, GPS included), {@code tEXt}, {@code zTXt}, {@code iTXt} (free
 * text, XMP: may hold a location or an author), {@code tIME}, and anything after {@code IEND}.
 * Kept: image data, palette, transparency, colour information ({@code iCCP}, {@code sRGB}, {@code
 * gAMA}, {@code cHRM}), animation chunks of APNG, and unknown chunks (they are for decoders).
 * Chunks are copied as they come, never inflated.
 */
final class PngChunks {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final Set<String> METADATA = Set.of("eXIf", "tEXt", "zTXt", "iTXt", "tIME");

  private PngChunks() {}

  /**
   * @return the number of chunks removed
   * @throws ImageException MALFORMED when the chunk structure is broken or IEND is missing
   */
  static int copyWithoutMetadata(InputStream source, OutputStream target) throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(source, 65536));
    BufferedOutputStream out = new BufferedOutputStream(target, 65536);
    byte[] signature = in.readNBytes(SIGNATURE.length);
    if (!Arrays.equals(signature, SIGNATURE)) throw malformed("no PNG signature");
    out.write(signature);
    int removed = 0;
    byte[] buffer = new byte[65536];
    try {
      while (true) {
        int length = in.readInt();
        byte[] type = in.readNBytes(4);
        if (length < 0 || type.length != 4) throw malformed("broken chunk header");
        String name = new String(type, StandardCharsets.ISO_8859_1);
        boolean keep = !METADATA.contains(name);
        if (keep) {
          writeInt(out, length);
          out.write(type);
        } else {
          removed++;
        }
        long left = length + 4L; // data and CRC
        while (left > 0) {
          int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
          if (n < 0) throw new EOFException();
          if (keep) out.write(buffer, 0, n);
          left -= n;
        }
        if (name.equals("IEND")) {
          out.flush();
          return in.read() == -1 ? removed : removed + 1; // anything after IEND is dropped too
        }
      }
    } catch (EOFException e) {
      throw malformed("truncated: no IEND chunk");
    }
  }

  private static void writeInt(OutputStream out, int value) throws IOException {
    out.write(value >>> 24);
    out.write(value >>> 16);
    out.write(value >>> 8);
    out.write(value);
  }

  private static ImageException malformed(String message) {
    return ImageException.malformed("PNG " + message, null);
  }
}
