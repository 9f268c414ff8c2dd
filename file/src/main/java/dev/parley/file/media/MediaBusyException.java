package dev.parley.file.media;

import java.time.Duration;

/** The processor has no room for this now; completing the upload again later may succeed. */
public final class MediaBusyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  public MediaBusyException(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
