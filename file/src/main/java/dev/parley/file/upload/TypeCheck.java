package dev.parley.file.upload;

import java.util.Optional;
import java.util.Set;

/**
 * Whether the bytes may carry the declared type. The rules, in order:
 *
 * <ol>
 *   <li>{@code application/octet-stream} claims nothing: any bytes (served as a download, never
 *       inline).
 *   <li>Bytes of a recognized type must match the declaration, up to families where one sniffed
 *       type stands for several declared ones (a .docx is a ZIP; an M4A is an MP4 container).
 *   <li>A declared type the sniffer can recognize but did not: refused (a "PNG" of random bytes).
 *   <li>Otherwise (text, office formats the sniffer does not know, ...) unknown bytes pass.
 * </ol>
 */
final class TypeCheck {
  private static final Set<String> ZIP_CONTAINERS =
      Set.of(
          "application/zip",
          "application/epub+zip",
          "application/java-archive",
          "application/vnd.android.package-archive");
  private static final Set<String> ISO_MEDIA =
      Set.of("video/mp4", "video/quicktime", "video/3gpp", "audio/mp4", "audio/x-m4a", "audio/aac");
  private static final Set<String> HEIF = Set.of("image/heic", "image/heif", "image/avif");

  private TypeCheck() {}

  /** Empty when acceptable; else why not. */
  static Optional<String> problem(String declared, Optional<String> sniffed) {
    if (declared.equals("application/octet-stream")) return Optional.empty();
    if (sniffed.isPresent()) {
      String actual = sniffed.get();
      if (compatible(declared, actual)) return Optional.empty();
      return Optional.of("declared " + declared + " but the content is " + actual);
    }
    if (TypeSniffer.RECOGNIZABLE.contains(declared))
      return Optional.of("declared " + declared + " but the content is not");
    return Optional.empty();
  }

  private static boolean compatible(String declared, String actual) {
    if (declared.equals(actual)) return true;
    if (actual.equals("application/zip"))
      return ZIP_CONTAINERS.contains(declared)
          || declared.startsWith("application/vnd.openxmlformats-officedocument.")
          || declared.startsWith("application/vnd.oasis.opendocument.");
    if (actual.equals("video/mp4") || actual.equals("video/quicktime"))
      return ISO_MEDIA.contains(declared);
    if (HEIF.contains(actual)) return HEIF.contains(declared);
    if (actual.equals("video/webm"))
      return declared.equals("video/x-matroska") || declared.equals("audio/webm");
    return false;
  }
}
