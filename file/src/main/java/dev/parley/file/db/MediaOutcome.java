package dev.parley.file.db;

import dev.parley.file.media.MediaResult;
import org.jspecify.annotations.Nullable;

/**
 * What happened to a blob's media processing, as stored: the FileInfo.MediaStatus name and, when
 * PROCESSED, the processor's result.
 */
public record MediaOutcome(String status, @Nullable MediaResult result) {
  public static final MediaOutcome NOT_MEDIA = new MediaOutcome("NOT_MEDIA", null);
  public static final MediaOutcome UNPROCESSED = new MediaOutcome("UNPROCESSED", null);
  public static final MediaOutcome FAILED = new MediaOutcome("FAILED", null);

  public static MediaOutcome processed(MediaResult result) {
    return new MediaOutcome("PROCESSED", result);
  }
}
