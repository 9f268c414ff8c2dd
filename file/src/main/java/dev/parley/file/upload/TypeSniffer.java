package dev.parley.file.upload;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * What a file is, by its first bytes (magic numbers), for the types Parley recognizes. Knowing few
 * types well is the point: a declared type the bytes contradict is refused, and a type we can
 * recognize must be recognized (design.md 11.4).
 */
public final class TypeSniffer {
  /** How many leading bytes {@link #sniff} looks at (at most). */
  public static final int HEAD_BYTES = 64;

  /** Types whose bytes this sniffer can tell; a file declaring one of them must look like it. */
  static final Set<String> RECOGNIZABLE =
      Set.of(
          "image/jpeg",
          "image/png",
          "image/gif",
          "image/webp",
          "image/bmp",
          "image/tiff",
          "image/heic",
          "image/heif",
          "image/avif",
          "video/mp4",
          "video/quicktime",
          "video/webm",
          "video/x-matroska",
          "audio/mpeg",
          "audio/ogg",
          "audio/wav",
          "audio/flac",
          "application/pdf",
          "application/zip",
          "application/gzip",
          "application/x-executable",
          "application/vnd.microsoft.portable-executable",
          "application/x-mach-binary");

  private TypeSniffer() {}

  /** The type the bytes say, or empty when they match nothing this sniffer knows. */
  public static Optional<String> sniff(byte[] head) {
    if (starts(head, 0xFF, 0xD8, 0xFF)) return Optional.of("image/jpeg");
    if (starts(head, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) return Optional.of("image/png");
    if (ascii(head, 0, "GIF87a") || ascii(head, 0, "GIF89a")) return Optional.of("image/gif");
    if (ascii(head, 0, "RIFF") && ascii(head, 8, "WEBP")) return Optional.of("image/webp");
    if (ascii(head, 0, "RIFF") && ascii(head, 8, "WAVE")) return Optional.of("audio/wav");
    if (ascii(head, 0, "BM") && head.length >= 14) return Optional.of("image/bmp");
    if (starts(head, 'I', 'I', 42, 0) || starts(head, 'M', 'M', 0, 42))
      return Optional.of("image/tiff");
    if (ascii(head, 4, "ftyp")) return Optional.of(isoBrand(head));
    if (starts(head, 0x1A, 0x45, 0xDF, 0xA3)) return Optional.of("video/webm");
    if (ascii(head, 0, "ID3") || starts(head, 0xFF, 0xFB) || starts(head, 0xFF, 0xF3))
      return Optional.of("audio/mpeg");
    if (ascii(head, 0, "OggS")) return Optional.of("audio/ogg");
    if (ascii(head, 0, "fLaC")) return Optional.of("audio/flac");
    if (ascii(head, 0, "%PDF-")) return Optional.of("application/pdf");
    if (starts(head, 'P', 'K', 3, 4) || starts(head, 'P', 'K', 5, 6))
      return Optional.of("application/zip");
    if (starts(head, 0x1F, 0x8B)) return Optional.of("application/gzip");
    if (starts(head, 0x7F, 'E', 'L', 'F')) return Optional.of("application/x-executable");
    if (ascii(head, 0, "MZ")) return Optional.of("application/vnd.microsoft.portable-executable");
    if (starts(head, 0xFE, 0xED, 0xFA, 0xCE)
        || starts(head, 0xFE, 0xED, 0xFA, 0xCF)
        || starts(head, 0xCE, 0xFA, 0xED, 0xFE)
        || starts(head, 0xCF, 0xFA, 0xED, 0xFE)) return Optional.of("application/x-mach-binary");
    return Optional.empty();
  }

  /** ISO base media files (MP4, MOV, HEIF, AVIF) say what they are in the ftyp box's brand. */
  private static String isoBrand(byte[] head) {
    String brand = head.length >= 12 ? new String(head, 8, 4, StandardCharsets.ISO_8859_1) : "";
    return switch (brand) {
      case "heic", "heix", "hevc", "hevx", "heim", "heis" -> "image/heic";
      case "mif1", "msf1" -> "image/heif";
      case "avif", "avis" -> "image/avif";
      case "qt  " -> "video/quicktime";
      default -> "video/mp4";
    };
  }

  private static boolean starts(byte[] head, int... prefix) {
    if (head.length < prefix.length) return false;
    for (int i = 0; i < prefix.length; i++) if ((head[i] & 0xFF) != prefix[i]) return false;
    return true;
  }

  private static boolean ascii(byte[] head, int offset, String text) {
    byte[] t = text.getBytes(StandardCharsets.ISO_8859_1);
    return head.length >= offset + t.length
        && Arrays.equals(head, offset, offset + t.length, t, 0, t.length);
  }
}
