package dev.parley.msg.core.content;

import org.jspecify.annotations.Nullable;

/**
 * The editable text of a message (design.md 13): a text's text, an image's or file's caption.
 * Everything else (service entries, recalls, edits) has none.
 */
public final class Editable {
  /** The longest caption, in code points (as when sending). */
  public static final int MAX_CAPTION = 1024;

  private Editable() {}

  /** The text or caption of {@code content}; empty when it has none. */
  public static String textOf(Content content) {
    return switch (content) {
      case Content.Text t -> t.text();
      case Content.Image i -> i.caption();
      case Content.File f -> f.caption();
      default -> "";
    };
  }

  /**
   * {@code content} with its text (or caption) replaced, or null when it cannot be edited: not a
   * message, or an image or file without a caption.
   */
  public static @Nullable Content edited(Content content, String text) {
    return switch (content) {
      case Content.Text t -> new Content.Text(text);
      case Content.Image i when !i.caption().isEmpty() ->
          new Content.Image(
              i.fileId(),
              i.width(),
              i.height(),
              i.size(),
              i.mimeType(),
              text,
              i.preview(),
              i.thumbnails(),
              i.mediaNote(),
              i.animated());
      case Content.File f when !f.caption().isEmpty() ->
          new Content.File(f.fileId(), f.name(), f.size(), f.mimeType(), text);
      default -> null;
    };
  }
}
