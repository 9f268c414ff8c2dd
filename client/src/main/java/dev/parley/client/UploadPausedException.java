package dev.parley.client;

/**
 * {@link Upload#pause()} stopped the upload between two parts. The bytes sent so far stay on the
 * server until the upload expires (24 h); {@link FileTransfers#resume} with {@link #uploadId()}
 * sends the rest.
 */
public class UploadPausedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String uploadId;

  public UploadPausedException(String uploadId) {
    super("upload " + uploadId + " paused");
    this.uploadId = uploadId;
  }

  public String uploadId() {
    return uploadId;
  }
}
