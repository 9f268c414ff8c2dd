package dev.parley.file.refs;

import dev.parley.file.db.MediaFacts;
import org.jspecify.annotations.Nullable;

/**
 * A verified file as a message shows it, from the file service's rows: what the server fills into
 * an image or file message (the values a client sent for these are ignored).
 *
 * @param name the uploaded name
 * @param mimeType the file's verified type (declared and consistent with the bytes)
 * @param contentType the type sniffed from the bytes; an image message needs {@code image/*}
 * @param media the FileInfo.MediaStatus name
 * @param width null unless the image processor measured it
 * @param mediaNote why an image has no thumbnails; empty otherwise
 */
public record Attachable(
    long fileId,
    String name,
    String mimeType,
    String contentType,
    long size,
    String media,
    @Nullable Integer width,
    @Nullable Integer height,
    MediaFacts facts,
    String mediaNote) {

  public boolean image() {
    return contentType.startsWith("image/");
  }

  /** The note a message carries for an image without thumbnails. */
  static String noteFor(String contentType, String media, MediaFacts facts) {
    if (!contentType.startsWith("image/") || !facts.thumbnails().isEmpty()) return "";
    return switch (media) {
      case "UNPROCESSED" -> "no thumbnail: not processed";
      case "FAILED" -> "no thumbnail: processing failed";
      default -> "no thumbnail: unsupported format";
    };
  }
}
