package dev.parley.file.upload;

import dev.parley.common.error.ParleyException;
import dev.parley.file.FileConfig;
import dev.parley.proto.client.Error.Reason;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** Validation of what a client declares about an upload; every failure names its field. */
final class UploadRules {
  /** RFC 6838 type and subtype names (restricted-name), lower-cased; no parameters. */
  private static final Pattern MIME =
      Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,62}/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}");

  private final FileConfig config;

  UploadRules(FileConfig config) {
    this.config = config;
  }

  /** The normalized (lower-case) MIME type. */
  String mimeType(String declared) {
    String mime = declared.trim().toLowerCase(Locale.ROOT);
    if (!MIME.matcher(mime).matches())
      throw ParleyException.invalid("mime_type", "not a MIME type like image/jpeg (no parameters)");
    if (!config.allows(mime))
      throw new ParleyException(
          Reason.FILE_TYPE_NOT_ALLOWED, "this server does not accept " + mime + " files");
    return mime;
  }

  void size(long size, String mimeType) {
    if (size <= 0) throw ParleyException.invalid("size", "must be positive");
    long max = config.maxSizeFor(mimeType);
    if (size > max)
      throw new ParleyException(
          Reason.FILE_TOO_LARGE, "at most " + max + " bytes for " + mimeType + " files");
  }

  /** Exactly one of the two forms, 32 bytes. */
  static byte[] sha256(byte[] bytes, String hex) {
    if (bytes.length > 0 && !hex.isEmpty())
      throw ParleyException.invalid("sha256", "give sha256 or sha256_hex, not both");
    if (!hex.isEmpty()) {
      if (hex.length() != 64)
        throw ParleyException.invalid("sha256_hex", "must be 64 hexadecimal digits");
      try {
        return HexFormat.of().parseHex(hex);
      } catch (IllegalArgumentException e) {
        throw ParleyException.invalid("sha256_hex", "must be 64 hexadecimal digits");
      }
    }
    if (bytes.length != 32) throw ParleyException.invalid("sha256", "must be exactly 32 bytes");
    return bytes;
  }

  /**
   * 1–255 characters; no path separators, control characters or bidirectional overrides, not "." or
   * "..".
   */
  static String name(String name) {
    int length = name.codePointCount(0, name.length());
    if (length < 1 || length > 255 || name.isBlank())
      throw ParleyException.invalid("name", "must be 1 to 255 characters");
    if (name.equals(".") || name.equals(".."))
      throw ParleyException.invalid("name", "must name a file");
    boolean bad =
        name.codePoints()
            .anyMatch(
                c ->
                    c == '/'
                        || c == '\\'
                        || Character.getType(c) == Character.CONTROL
                        || bidiControl(c)
                        || Character.getType(c) == Character.SURROGATE
                        || Character.getType(c) == Character.UNASSIGNED);
    if (bad)
      throw ParleyException.invalid(
          "name", "must not contain / \\ or control or formatting characters");
    return name;
  }

  /** Characters that reorder text on screen (U+202E turns "gpj.exe" into "exe.jpg"). */
  private static boolean bidiControl(int c) {
    return (c >= 0x202A && c <= 0x202E)
        || (c >= 0x2066 && c <= 0x2069)
        || c == 0x200E
        || c == 0x200F
        || c == 0x061C;
  }

  /** An id the server handed out (decimal); anything else names nothing. */
  static long id(String id, String field) {
    if (id.isEmpty() || id.length() > 19 || !id.chars().allMatch(Character::isDigit))
      throw ParleyException.invalid(field, "not an id this server gave out");
    try {
      return Long.parseLong(id);
    } catch (NumberFormatException e) {
      throw ParleyException.invalid(field, "not an id this server gave out");
    }
  }
}
