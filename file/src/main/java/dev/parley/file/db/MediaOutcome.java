package dev.parley.file.db;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What media processing made of a blob, as stored with it: the FileInfo.MediaStatus name, the
 * displayed dimensions, the inline preview, the note, and the derived objects already stored.
 */
@SuppressWarnings("ArrayRecordComponent") // bytes on their way into a row, never compared
public record MediaOutcome(
    String status,
    @Nullable Integer width,
    @Nullable Integer height,
    boolean animated,
    byte[] preview,
    String note,
    List<ThumbnailRow> derived) {
  public static final MediaOutcome NOT_MEDIA = without("NOT_MEDIA", "");
  public static final MediaOutcome UNPROCESSED = without("UNPROCESSED", "");

  public MediaOutcome {
    derived = List.copyOf(derived);
  }

  /** No dimensions, nothing derived. */
  public static MediaOutcome without(String status, String note) {
    return new MediaOutcome(status, null, null, false, new byte[0], note, List.of());
  }
}
