package dev.parley.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * The MIME type {@code send-file} declares: from the first bytes for the types the server checks by
 * content (images, PDF), so a misnamed photo still goes as what it is; else from the extension;
 * else {@code application/octet-stream}, which the server accepts for any bytes.
 */
final class MimeTypes {
  private MimeTypes() {}

  private static final Map<String, String> BY_EXTENSION =
      Map.ofEntries(
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("png", "image/png"),
          Map.entry("gif", "image/gif"),
          Map.entry("webp", "image/webp"),
          Map.entry("heic", "image/heic"),
          Map.entry("pdf", "application/pdf"),
          Map.entry("zip", "application/zip"),
          Map.entry("txt", "text/plain"),
          Map.entry("mp4", "video/mp4"),
          Map.entry("mov", "video/quicktime"),
          Map.entry("mp3", "audio/mpeg"),
          Map.entry("ogg", "audio/ogg"),
          Map.entry("m4a", "audio/mp4"),
          Map.entry("doc", "application/msword"),
          Map.entry("xls", "application/vnd.ms-excel"),
          Map.entry("ppt", "application/vnd.ms-powerpoint"),
          Map.entry(
              "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
          Map.entry("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
          Map.entry(
              "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"));

  static String of(Path file) {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(16);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
    String sniffed = sniff(head);
    if (sniffed != null) return sniffed;
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    String byName = BY_EXTENSION.get(extension);
    return byName != null ? byName : "application/octet-stream";
  }

  /** The type the first bytes prove, or null. */
  static @org.jspecify.annotations.Nullable String sniff(byte[] head) {
    if (startsWith(head, 0xFF, 0xD8, 0xFF)) return "image/jpeg";
    if (startsWith(head, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) return "image/png";
    if (ascii(head, 0, "GIF87a") || ascii(head, 0, "GIF89a")) return "image/gif";
    if (ascii(head, 0, "RIFF") && ascii(head, 8, "WEBP")) return "image/webp";
    if (ascii(head, 4, "ftypheic") || ascii(head, 4, "ftypheix") || ascii(head, 4, "ftypmif1")) {
      return "image/heic";
    }
    if (ascii(head, 0, "%PDF-")) return "application/pdf";
    return null;
  }

  private static boolean startsWith(byte[] head, int... bytes) {
    if (head.length < bytes.length) return false;
    for (int i = 0; i < bytes.length; i++) {
      if ((head[i] & 0xFF) != bytes[i]) return false;
    }
    return true;
  }

  private static boolean ascii(byte[] head, int offset, String text) {
    byte[] expected = text.getBytes(StandardCharsets.US_ASCII);
    return head.length >= offset + expected.length
        && Arrays.equals(head, offset, offset + expected.length, expected, 0, expected.length);
  }
}
