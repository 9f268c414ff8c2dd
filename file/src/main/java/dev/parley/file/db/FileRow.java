package dev.parley.file.db;

import java.time.Instant;

/** A usable file (file.files) with the blob holding its bytes. */
public record FileRow(
    long fileId, long ownerId, String name, String mimeType, Instant createdAt, BlobRow blob) {
  FileRow withBlob(BlobRow b) {
    return new FileRow(fileId, ownerId, name, mimeType, createdAt, b);
  }
}
