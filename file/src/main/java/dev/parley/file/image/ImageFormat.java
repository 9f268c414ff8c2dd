package dev.parley.file.image;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The image formats we make thumbnails of, told apart by their first bytes: what a client declares
 * is not trusted. Anything else (BMP, TIFF, AVIF, SVG...) is stored as a file without thumbnails,
 * which also keeps the decoders we expose to uploaded bytes to these few.
 */
public enum ImageFormat {
  JPEG("image/jpeg", "jpeg"),
  PNG("image/png", "png"),
  GIF("image/gif", "gif"),
  WEBP("image/webp", "webp"),
  /** HEIC/HEIF (iPhone photos): decoded only by vipsthumbnail, when it is installed. */
  HEIF("image/heic", "");

  /** Bytes to read for {@link #sniff} and WebP's feature flags (byte 20). */
  public static final int SNIFF_BYTES = 32;

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  // ISO-BMFF major brands of HEIF still images and sequences (AVIF's "avif"/"avis" are not here:
  // no decoder for AV1 is promised on the machine).
  private static final Set<String> HEIF_BRANDS =
      Set.of("heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1");

  private final String mimeType;
  private final String imageIoName;

  ImageFormat(String mimeType, String imageIoName) {
    this.mimeType = mimeType;
    this.imageIoName = imageIoName;
  }

  public String mimeType() {
    return mimeType;
  }

  /** The ImageIO format name of its reader; empty when ImageIO does not decode it. */
  String imageIoName() {
    return imageIoName;
  }

  /** The format of a file starting with {@code head}, or null when it is none of ours. */
  public static @Nullable ImageFormat sniff(byte[] head) {
    if (head.length >= 3
        && (head[0] & 0xff) == 0xff
        && (head[1] & 0xff) == 0xd8
        && (head[2] & 0xff) == 0xff) {
      return JPEG;
    }
    if (startsWith(head, 0, PNG_SIGNATURE)) return PNG;
    if (startsWith(head, 0, ascii("GIF87a")) || startsWith(head, 0, ascii("GIF89a"))) return GIF;
    if (startsWith(head, 0, ascii("RIFF")) && startsWith(head, 8, ascii("WEBP"))) return WEBP;
    if (startsWith(head, 4, ascii("ftyp")) && head.length >= 12) {
      String brand = new String(head, 8, 4, StandardCharsets.ISO_8859_1);
      if (HEIF_BRANDS.contains(brand)) return HEIF;
    }
    return null;
  }

  private static boolean startsWith(byte[] data, int offset, byte[] prefix) {
    return data.length >= offset + prefix.length
        && Arrays.equals(data, offset, offset + prefix.length, prefix, 0, prefix.length);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
