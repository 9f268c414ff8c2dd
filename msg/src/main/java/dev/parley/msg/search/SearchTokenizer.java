package dev.parley.msg.search;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Text to search segments and index tokens (design.md 14.1). Pure and deterministic: the same
 * function tokenizes messages when they are indexed and queries when they are asked, so a change
 * here needs a reindex unless every token a query asks for is still in rows indexed before it
 * (design.md 14.1).
 *
 * <p>Spaced scripts: runs of letters and digits are words, folded (NFKD, combining marks dropped,
 * lower case in the root locale). CJK (Han, Hiragana, Katakana, Hangul): runs of characters,
 * indexed as every unigram and every overlapping bigram. Everything else (spaces, punctuation,
 * emoji) separates. Tokens carry a prefix so the kinds never collide: {@code w:} a whole word,
 * {@code p:} a word's prefix of one of the {@link #PREFIXES} lengths, {@code h:} the bucket of a
 * number-like long word ({@link #bucketed}), {@code c:} a CJK unigram or bigram.
 *
 * <p>The index only narrows; the check of the decrypted text decides (design.md 14.3). So a typed
 * prefix of a length that is not indexed looks up the longest indexed prefix within it ({@link
 * #prefixLookup}).
 */
public final class SearchTokenizer {
  /**
   * The longest word prefix indexed; a longer typed prefix looks up this many characters, and the
   * check of the decrypted text (design.md 14.3) keeps the words that really start with it. Six
   * characters already narrow a language's words to a handful, and every longer prefix costs each
   * message one more GIN entry, most of them unique to it (long numbers, names, links): 12 made
   * indexing cost S1 far more than its 10 % budget (design.md 14.4).
   */
  public static final int MAX_PREFIX = 6;

  /**
   * The prefix lengths indexed (5 is left out: a typed five-letter prefix looks up its first four
   * and the check keeps the words that really start with all five; a prefix of five is one more GIN
   * entry per long word held by few messages, the expensive kind, design.md 14.4). Changing them
   * needs a reindex unless every length a query looks up stays indexed.
   */
  private static final int[] PREFIXES = {2, 3, 4, MAX_PREFIX};

  /** Buckets of the {@linkplain #bucketed number-like long words}. */
  static final int BUCKETS = 4096;

  /** The shortest typed prefix that is looked up as a prefix (one letter would match too much). */
  public static final int MIN_PREFIX = 2;

  private SearchTokenizer() {}

  /** The text's words and CJK runs, in order. */
  public static List<Segment> segments(String text) {
    List<Segment> out = new ArrayList<>();
    StringBuilder run = new StringBuilder();
    List<Integer> origin = new ArrayList<>();
    boolean runCjk = false;
    int i = 0;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      int next = i + Character.charCount(cp);
      boolean cjk = isCjk(cp);
      boolean word = !cjk && Character.isLetterOrDigit(cp);
      if (cjk || word) {
        if (!run.isEmpty() && runCjk != cjk) flush(run, origin, runCjk, i, out);
        runCjk = cjk;
        String folded = cjk ? new String(Character.toChars(cp)) : fold(cp);
        for (int k = 0; k < folded.length(); k++) origin.add(i);
        run.append(folded);
      } else if (!isMark(cp) && !run.isEmpty()) {
        flush(run, origin, runCjk, i, out);
      }
      i = next;
    }
    if (!run.isEmpty()) flush(run, origin, runCjk, text.length(), out);
    return out;
  }

  /** Every token under which a message with this text is found. */
  public static Set<String> indexTokens(String text) {
    Set<String> tokens = new LinkedHashSet<>();
    for (Segment s : segments(text)) {
      String t = s.text();
      if (s.cjk()) {
        for (int i = 0; i < t.length(); i = t.offsetByCodePoints(i, 1)) {
          int one = t.offsetByCodePoints(i, 1);
          tokens.add("c:" + t.substring(i, one));
          if (one < t.length()) tokens.add("c:" + t.substring(i, t.offsetByCodePoints(one, 1)));
        }
      } else {
        int chars = t.codePointCount(0, t.length());
        boolean bucketed = bucketed(t, chars);
        if (!bucketed) tokens.add("w:" + t);
        for (int n : PREFIXES) {
          if (n > chars) break;
          tokens.add("p:" + t.substring(0, t.offsetByCodePoints(0, n)));
        }
        if (bucketed) tokens.add(bucket(t));
      }
    }
    return tokens;
  }

  /**
   * The tokens a query looks up for the whole folded word {@code word} (spaced scripts): the word's
   * own, or, for a {@linkplain #bucketed number-like long word}, its {@value #MAX_PREFIX} character
   * prefix and its bucket.
   */
  public static List<String> wordLookup(String word) {
    int chars = word.codePointCount(0, word.length());
    if (!bucketed(word, chars)) return List.of("w:" + word);
    return List.of("p:" + word.substring(0, word.offsetByCodePoints(0, MAX_PREFIX)), bucket(word));
  }

  /**
   * Whether a word is indexed by its prefixes and a bucket instead of a token of its own: a word
   * longer than {@value #MAX_PREFIX} characters with a digit in it (a number, an order or tracking
   * number, an id, a timestamp). Those are nearly all unique to their message, and a token few
   * messages hold is the expensive kind of GIN entry (design.md 14.1, 14.4); their bucket is shared
   * by one in {@value #BUCKETS} of them. Not every long word: a query for a bucketed word asks for
   * two tokens that always come together, PostgreSQL multiplies their frequencies, and for a common
   * word (a long word of the language) the estimate is so low that it reads all of its rows through
   * the GIN index; numbers are rarely common, and for a rare word that plan is the right one.
   */
  static boolean bucketed(String word, int chars) {
    if (chars <= MAX_PREFIX) return false;
    for (int i = 0; i < word.length(); ) {
      int cp = word.codePointAt(i);
      if (Character.isDigit(cp)) return true;
      i += Character.charCount(cp);
    }
    return false;
  }

  /** The bucket token of a {@linkplain #bucketed bucketed} word. */
  private static String bucket(String word) {
    // String.hashCode is specified, so a bucket is the same on every JVM and in every release; the
    // finalizer of MurmurHash3 spreads words that differ in their last characters (order numbers).
    int x = word.hashCode();
    x ^= x >>> 16;
    x *= 0x85ebca6b;
    x ^= x >>> 13;
    x *= 0xc2b2ae35;
    x ^= x >>> 16;
    return "h:" + (x & (BUCKETS - 1));
  }

  /**
   * The token a query looks up for words that start with {@code prefix} (folded, at least {@link
   * #MIN_PREFIX} characters): the longest indexed prefix of it.
   */
  public static String prefixLookup(String prefix) {
    int chars = prefix.codePointCount(0, prefix.length());
    int n = PREFIXES[0];
    for (int length : PREFIXES) if (length <= chars) n = length;
    return "p:" + prefix.substring(0, prefix.offsetByCodePoints(0, n));
  }

  /** The folded form of one code point of a spaced script (may be several characters, or none). */
  static String fold(int cp) {
    // ASCII letters and digits fold to themselves in lower case (NFKD leaves them alone): the
    // common case, without a string and a normalization per character.
    if (cp < 0x80 && Character.isLetterOrDigit(cp))
      return String.valueOf((char) Character.toLowerCase(cp));
    String s = new String(Character.toChars(cp));
    if (cp == 'ß' || cp == 'ẞ') return "ss";
    String d = Normalizer.normalize(s, Normalizer.Form.NFKD);
    StringBuilder b = new StringBuilder(d.length());
    d.codePoints()
        .filter(c -> !isMark(c) && Character.isLetterOrDigit(c))
        .forEach(b::appendCodePoint);
    return b.toString().toLowerCase(Locale.ROOT);
  }

  static boolean isCjk(int cp) {
    // The prolonged sound mark (コーヒー) and the iteration mark (時々) are "common" script but
    // belong inside the Japanese word.
    if (cp == 0x30FC || cp == 0x3005) return true;
    Character.UnicodeScript s = Character.UnicodeScript.of(cp);
    return s == Character.UnicodeScript.HAN
        || s == Character.UnicodeScript.HIRAGANA
        || s == Character.UnicodeScript.KATAKANA
        || s == Character.UnicodeScript.HANGUL;
  }

  /** Combining marks belong to the letter before them: they neither separate nor count. */
  private static boolean isMark(int cp) {
    int t = Character.getType(cp);
    return t == Character.NON_SPACING_MARK
        || t == Character.COMBINING_SPACING_MARK
        || t == Character.ENCLOSING_MARK;
  }

  private static void flush(
      StringBuilder run, List<Integer> origin, boolean cjk, int end, List<Segment> out) {
    int[] o = new int[origin.size() + 1];
    for (int k = 0; k < origin.size(); k++) o[k] = origin.get(k);
    o[origin.size()] = end;
    // A word whose letters all fold away (rare) leaves nothing to find.
    if (!run.isEmpty()) out.add(new Segment(run.toString(), cjk, o));
    run.setLength(0);
    origin.clear();
  }
}
