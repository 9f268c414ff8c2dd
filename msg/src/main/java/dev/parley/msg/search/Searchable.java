package dev.parley.msg.search;

import dev.parley.msg.core.content.Content;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** What of a message search looks at: a text, an image's caption, a file's name and caption. */
final class Searchable {
  private static final Pattern LINK =
      Pattern.compile(
          "(?i)(?:https?://|www\\.)[^\\s]+|\\b[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.[a-z]{2,}/\\S*");

  private Searchable() {}

  /**
   * The searchable text of {@code content}; null when it has none (service entries, no caption).
   */
  static @Nullable String text(@Nullable Content content) {
    String text =
        switch (content) {
          case null -> null;
          case Content.Text t -> t.text();
          case Content.Image i -> i.caption();
          case Content.File f -> f.caption().isEmpty() ? f.name() : f.name() + "\n" + f.caption();
          default -> null;
        };
    return text == null || text.isBlank() ? null : text;
  }

  /** Whether the text holds a link (the "link" kind of search). */
  static boolean hasLink(String text) {
    return LINK.matcher(text).find();
  }
}
