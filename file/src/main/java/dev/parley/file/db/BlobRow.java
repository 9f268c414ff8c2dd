package dev.parley.file.db;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** One row of file.blobs: verified content, stored once. */
public record BlobRow(
    long blobId,
    byte[] sha256,
    long size,
    String objectKey,
    String mimeType,
    String media,
    @Nullable Integer width,
    @Nullable Integer height,
    Instant createdAt) {}
