package dev.parley.client;

import dev.parley.proto.client.FileInfo;
import java.time.Duration;
import java.util.List;

/**
 * A completed upload.
 *
 * @param file the verified file; its {@code file_id} goes into image and file messages
 * @param deduplicated the server already held this content and took a proof of possession instead
 *     of the bytes
 * @param partsSent the parts this run sent (0 is a single PUT), in order; empty for a dedup, and
 *     only the missing ones for a resume
 * @param completion how long the successful {@code complete_upload} took, retries included: the
 *     server's verification (one read of the bytes) and image processing
 */
public record UploadResult(
    FileInfo file, boolean deduplicated, List<Integer> partsSent, Duration completion) {
  public UploadResult {
    partsSent = List.copyOf(partsSent);
  }
}
