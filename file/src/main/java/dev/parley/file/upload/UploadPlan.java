package dev.parley.file.upload;

import dev.parley.file.db.UploadRow;
import dev.parley.file.store.PresignedUrl;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The answer to create_upload: one presigned PUT ({@code single} set) or a multipart upload of
 * {@code partCount} parts of {@code partSize}; plus a dedup challenge when the content is known.
 */
public record UploadPlan(
    long uploadId,
    Instant expiresAt,
    @Nullable PresignedUrl single,
    long partSize,
    int partCount,
    UploadRow.@Nullable Challenge dedup) {}
