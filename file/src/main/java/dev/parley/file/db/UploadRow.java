package dev.parley.file.db;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One row of file.uploads.
 *
 * @param multipartId the S3 multipart upload id, null for a single PUT
 * @param dedupBlobId the verified blob with the same hash and size, while its challenge is unspent
 * @param attempt incremented by every completion that takes the lease; only the holder of the
 *     latest attempt may commit
 * @param failure the error reason of a FAILED upload
 */
public record UploadRow(
    long uploadId,
    long ownerId,
    long fileId,
    String name,
    String mimeType,
    long size,
    byte[] sha256,
    String objectKey,
    @Nullable String multipartId,
    long partSize,
    int partCount,
    @Nullable Long dedupBlobId,
    @Nullable Challenge challenge,
    UploadState state,
    @Nullable Instant leaseUntil,
    int attempt,
    @Nullable String failure,
    @Nullable String failureMessage,
    Instant createdAt,
    Instant expiresAt) {

  public boolean multipart() {
    return multipartId != null;
  }

  /** The proof-of-possession challenge of a dedup upload (design.md 11.4). */
  public record Challenge(byte[] nonce, long offset, long length) {}
}
