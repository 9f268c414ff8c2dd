package dev.parley.msg.core.content;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a message carries besides its content (design.md 13): the quote of the message it replies
 * to, the mentions of its text, and where a forwarded copy came from. Stored with the content,
 * encrypted; {@link #NONE} for most entries.
 *
 * @param quote the replied-to message as the server last saw it, or null for no reply
 * @param mentions in text order
 * @param forward the original's origin for a copy made by forward_messages, or null
 */
public record Extras(@Nullable Quote quote, List<Mention> mentions, @Nullable Forward forward) {
  public static final Extras NONE = new Extras(null, List.of(), null);

  public Extras {
    mentions = List.copyOf(mentions);
  }

  public Extras(@Nullable Quote quote, List<Mention> mentions) {
    this(quote, mentions, null);
  }

  public static Extras of(@Nullable Quote quote, List<Mention> mentions) {
    return of(quote, mentions, null);
  }

  public static Extras of(
      @Nullable Quote quote, List<Mention> mentions, @Nullable Forward forward) {
    return quote == null && mentions.isEmpty() && forward == null
        ? NONE
        : new Extras(quote, mentions, forward);
  }

  /** These extras with another quote. */
  public Extras withQuote(Quote q) {
    return new Extras(q, mentions, forward);
  }

  /** These extras with other mentions. */
  public Extras withMentions(List<Mention> m) {
    return of(quote, m, forward);
  }

  /**
   * Where a forwarded copy's original came from (design.md 13.1).
   *
   * @param senderId the original's sender, or {@link #HIDDEN} (reserved for senders whose privacy
   *     setting hides them from the forwarder, design.md 13.2; not produced yet)
   * @param groupId the group the original was posted in, 0 for a one-to-one conversation
   * @param sentAt when the original was sent
   */
  public record Forward(long senderId, long groupId, Instant sentAt) {
    public static final long HIDDEN = 0;

    /** The same origin with the sender hidden. */
    public Forward hidden() {
      return new Forward(HIDDEN, groupId, sentAt);
    }
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
