package dev.parley.msg.core.content;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a message carries besides its content (design.md 13): the quote of the message it replies
 * to, and the mentions of its text. Stored with the content, encrypted; {@link #NONE} for most
 * entries.
 *
 * @param quote the replied-to message as the server last saw it, or null for no reply
 * @param mentions in text order
 */
public record Extras(@Nullable Quote quote, List<Mention> mentions) {
  public static final Extras NONE = new Extras(null, List.of());

  public Extras {
    mentions = List.copyOf(mentions);
  }

  public static Extras of(@Nullable Quote quote, List<Mention> mentions) {
    return quote == null && mentions.isEmpty() ? NONE : new Extras(quote, mentions);
  }

  /** These extras with another quote. */
  public Extras withQuote(Quote q) {
    return new Extras(q, mentions);
  }

  /** These extras with other mentions. */
  public Extras withMentions(List<Mention> m) {
    return of(quote, m);
  }

  /** A mention: {@code length} UTF-16 code units from {@code offset}; {@code userId} 0 is @all. */
  public record Mention(long userId, int offset, int length) {
    public static final long ALL = 0;
  }

  /**
   * The quoted original of a reply: its sender and the start of its text or caption; {@code
   * deleted} once recalled (the snippet is then empty).
   */
  public record Quote(long seq, long senderId, String snippet, boolean deleted) {
    /** Code points of the original's text a quote keeps. */
    public static final int SNIPPET_LENGTH = 100;

    /** The quote of {@code content} (a message's), sent by {@code senderId}. */
    public static Quote of(long seq, long senderId, Content content) {
      return new Quote(seq, senderId, snippet(Editable.textOf(content)), false);
    }

    public Quote deletedNow() {
      return new Quote(seq, senderId, "", true);
    }

    private static String snippet(String text) {
      int cut = text.codePointCount(0, text.length());
      if (cut <= SNIPPET_LENGTH) return text;
      return text.substring(0, text.offsetByCodePoints(0, SNIPPET_LENGTH));
    }
  }
}
