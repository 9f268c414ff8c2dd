package dev.parley.file.db;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One row of file.blobs: verified content, stored once.
 *
 * @param media the FileInfo.MediaStatus name
 * @param preview the inline preview; empty when none
 * @param derived its thumbnails and stripped original (file.thumbnails); empty unless loaded
 */
@SuppressWarnings("ArrayRecordComponent") // never compared
public record BlobRow(
    long blobId,
    byte[] sha256,
    long size,
    String objectKey,
    String mimeType,
    String media,
    @Nullable Integer width,
    @Nullable Integer height,
    Instant createdAt,
    boolean animated,
    String mediaNote,
    byte[] preview,
    List<ThumbnailRow> derived) {
  public BlobRow {
    derived = List.copyOf(derived);
  }

  public BlobRow withDerived(List<ThumbnailRow> rows) {
    return new BlobRow(
        blobId, sha256, size, objectKey, mimeType, media, width, height, createdAt, animated,
        mediaNote, preview, rows);
  }

  /** The server-made thumbnails, smallest first. */
  public List<ThumbnailRow> thumbnails() {
    return derived.stream().filter(ThumbnailRow::isThumbnail).toList();
  }

  /** The key downloads of the original serve: the metadata-free copy when there is one. */
  public String servedKey() {
    return derived.stream()
        .filter(d -> !d.isThumbnail())
        .map(ThumbnailRow::objectKey)
        .findFirst()
        .orElse(objectKey);
  }
}
