package dev.parley.file.image;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Why an image could not be processed. The only exception {@link ImageProcessor} throws for what is
 * in the file or for load; the caller maps it to the client's error model (docs/design.md "Image
 * processing" lists the suggested mapping).
 */
public final class ImageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Stable codes: they appear in logs and may be shown to operators and clients. */
  public enum Failure {
    /** The original is larger than {@code max-input-bytes}. */
    TOO_LARGE("image_too_large"),
    /** The header claims more than {@code max-pixels}: refused before decoding. */
    TOO_MANY_PIXELS("image_too_many_pixels"),
    /** A known format whose content is broken or truncated. */
    MALFORMED("image_malformed"),
    /** Processing took longer than {@code timeout}: abandoned. */
    TIMED_OUT("image_timed_out"),
    /** The pool and its queue are full, or no thread freed up in time: retry later. */
    BUSY("image_busy");

    private final String code;

    Failure(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  /** How long a caller refused as {@link Failure#BUSY} should wait before retrying. */
  public static final Duration BUSY_RETRY_AFTER = Duration.ofSeconds(2);

  private final Failure failure;

  public ImageException(Failure failure, String message) {
    this(failure, message, null);
  }

  public ImageException(Failure failure, String message, @Nullable Throwable cause) {
    super(failure.code() + ": " + message, cause);
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }

  /** Zero unless retrying later may succeed. */
  public Duration retryAfter() {
    return failure == Failure.BUSY ? BUSY_RETRY_AFTER : Duration.ZERO;
  }

  static ImageException malformed(String message, @Nullable Throwable cause) {
    return new ImageException(Failure.MALFORMED, message, cause);
  }
}
