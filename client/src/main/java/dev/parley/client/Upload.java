package dev.parley.client;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An upload under way, started by {@link FileTransfers#upload} or {@link FileTransfers#resume}.
 *
 * <p>{@link #result()} completes with the verified file, or fails with {@link
 * UploadPausedException} after {@link #pause()}, {@link ClientException} when the server refuses
 * (e.g. {@code HASH_MISMATCH}, {@code UPLOAD_EXPIRED}), {@link TransferException} when the file
 * store does, or {@link ConnectionException} when the server stays out of reach.
 */
public final class Upload {
  private final CompletableFuture<UploadResult> result = new CompletableFuture<>();
  private volatile boolean pauseRequested;
  private volatile String uploadId = "";

  Upload() {}

  /**
   * The server's id of this upload, once {@code create_upload} has answered: keep it (with the
   * file) to resume after an app restart.
   */
  public Optional<String> uploadId() {
    return uploadId.isEmpty() ? Optional.empty() : Optional.of(uploadId);
  }

  public CompletableFuture<UploadResult> result() {
    return result;
  }

  /**
   * Stops before the next part (a part being sent is finished first; a single PUT cannot be paused
   * once started); the result then fails with {@link UploadPausedException}.
   */
  public void pause() {
    pauseRequested = true;
  }

  boolean pauseRequested() {
    return pauseRequested;
  }

  void uploadId(String id) {
    uploadId = id;
  }
}
