package dev.parley.msg.core.content;

import dev.parley.common.error.ParleyException;
import dev.parley.proto.client.Error.Reason;
import java.text.BreakIterator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which emoji a reaction may be, and how many (design.md 13.4). Emoji are compared and stored
 * without variation selectors (U+FE0F, U+FE0E): clients differ in whether they send "❤" or "❤️",
 * and both must count as one reaction.
 *
 * <p>With an allowed list, a reaction must be one of it. With {@code any}, it must be exactly one
 * grapheme cluster (so a flag, a skin-toned hand or a ZWJ family is one reaction, but two emoji or
 * an emoji followed by text are not) that contains an emoji code point ({@link
 * Character#isEmojiPresentation} or an emoji followed by U+FE0F, regional indicators, keycaps), at
 * most 32 UTF-16 units.
 */
public final class ReactionRules {
  /** The default set: Telegram's standard reactions. */
  public static final List<String> DEFAULT_ALLOWED =
      List.of(
          "👍", "👎", "❤", "🔥", "🥰", "👏", "😁", "🤔", "🤯", "😱", "🤬", "😢", "🎉", "🤩", "🤮",
          "💩", "🙏", "👌", "🕊", "🤡", "🥱", "🥴", "😍", "🐳", "❤‍🔥", "🌚", "🌭", "💯", "🤣", "⚡",
          "🍌", "🏆", "💔", "🤨", "😐", "🍓", "🍾", "💋", "🖕", "😈", "😴", "😭", "🤓", "👻",
          "👨‍💻", "👀", "🎃", "🙈", "😇", "😨", "🤝", "✍", "🤗", "🫡", "🎅", "🎄", "☃", "💅", "🤪",
          "🗿", "🆒", "💘", "🙉", "🦄", "😘", "💊", "🙊", "😎", "👾", "🤷‍♂", "🤷", "🤷‍♀", "😡");

  private static final int MAX_UNITS = 32;

  private final Set<String> allowed;
  private final int maxPerUser;
  private final int maxDistinct;

  /**
   * @param allowed the allowed emoji, or the single word {@code any} for any one emoji
   * @param maxPerUser how many emoji one user may set on one message
   * @param maxDistinct how many different emoji one message may carry
   */
  public ReactionRules(List<String> allowed, int maxPerUser, int maxDistinct) {
    if (maxPerUser < 1 || maxDistinct < maxPerUser)
      throw new IllegalArgumentException(
          "msg.reactions: max-per-user must be at least 1 and max-distinct at least max-per-user");
    boolean any = allowed.size() == 1 && allowed.getFirst().trim().equalsIgnoreCase("any");
    if (allowed.isEmpty())
      throw new IllegalArgumentException("msg.reactions.allowed is empty: list emoji, or any");
    Set<String> set = new LinkedHashSet<>();
    if (!any) {
      for (String e : allowed) {
        String n = normalized(e);
        if (!singleEmoji(n))
          throw new IllegalArgumentException("msg.reactions.allowed: not one emoji: " + e);
        set.add(n);
      }
    }
    this.allowed = Set.copyOf(set);
    this.maxPerUser = maxPerUser;
    this.maxDistinct = maxDistinct;
  }

  public int maxDistinct() {
    return maxDistinct;
  }

  /**
   * The caller's new set as given: normalized, duplicates dropped (first occurrence kept), each
   * allowed, at most {@code maxPerUser}.
   */
  public List<String> checked(List<String> given) {
    Set<String> out = new LinkedHashSet<>();
    for (String e : given) {
      String n = normalized(e);
      boolean ok = allowed.isEmpty() ? singleEmoji(n) : allowed.contains(n);
      if (!ok)
        throw new ParleyException(
            Reason.REACTION_NOT_ALLOWED,
            allowed.isEmpty()
                ? "A reaction is exactly one emoji"
                : "This server does not allow " + e + " as a reaction",
            "emoji",
            Duration.ZERO);
      out.add(n);
    }
    if (out.size() > maxPerUser)
      throw new ParleyException(
          Reason.TOO_MANY_REACTIONS, "At most " + maxPerUser + " reactions per message");
    return new ArrayList<>(out);
  }

  /** Without variation selectors, the form reactions are compared and stored in. */
  public static String normalized(String emoji) {
    return emoji.replace("\uFE0F", "").replace("\uFE0E", "").strip();
  }

  /** Exactly one grapheme cluster that is an emoji (see the class comment). */
  static boolean singleEmoji(String s) {
    if (s.isEmpty() || s.length() > MAX_UNITS) return false;
    BreakIterator graphemes = BreakIterator.getCharacterInstance(Locale.ROOT);
    graphemes.setText(s);
    if (graphemes.next() != s.length()) return false;
    int first = s.codePointAt(0);
    if (Character.isEmojiPresentation(first)) return true;
    if (first >= 0x1F1E6 && first <= 0x1F1FF) return true; // regional indicators: a flag
    // A keycap (1⃣) or a text-default emoji (☃, ✍), which clients send with U+FE0F, removed above.
    return Character.isEmoji(first) && (s.length() > Character.charCount(first) || first > 0xFF);
  }
}
