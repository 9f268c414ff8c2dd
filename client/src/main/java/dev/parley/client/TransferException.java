package dev.parley.client;

/**
 * A presigned HTTP request to the file store failed for good: a status that retrying cannot fix
 * (403 with a fresh URL, 404, 400...), transient failures beyond the retry budget, or a download
 * whose size is not the file's. {@link #status()} is the last HTTP status, 0 if none arrived.
 */
public class TransferException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  public TransferException(String message, int status) {
    super(message);
    this.status = status;
  }

  public TransferException(String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
  }

  public int status() {
    return status;
  }
}
