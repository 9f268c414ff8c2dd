package dev.parley.msg.search;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.search.SearchQuery.Range;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A query against short names: group titles, display names and usernames (search_chats and
 * search_contacts, design.md 14.5). The text is folded exactly as for messages ({@link
 * SearchTokenizer}: case, diacritics, CJK runs), but names are typed partially and in any order, so
 * every word of the query is a prefix of some word of the name ("jo sm" finds "John Smith", "mül"
 * finds "Jürgen Müller") and a CJK term is found anywhere inside a CJK run (小明 finds 王小明). A Latin
 * term never matches inside a word ("ohn" does not find "John"): with names of a few letters,
 * infixes would match nearly everyone.
 */
public final class NameQuery {
  /** How well a name matched, best first; the order of results. */
  public enum Tier {
    /** The name is the query, word for word (folded). */
    EXACT,
    /** The name begins with the query's first term. */
    PREFIX,
    /** Every term begins a word or CJK run of the name, not the first one. */
    WORDS,
    /** A CJK term lies inside a run, not at its start. */
    INFIX
  }

  /**
   * @param ranges where the typed terms are in the name (UTF-16, end exclusive), ascending, not
   *     overlapping
   */
  public record Match(Tier tier, List<Range> ranges) {
    public Match {
      ranges = List.copyOf(ranges);
    }
  }

  private final List<Segment> terms;

  private NameQuery(List<Segment> terms) {
    this.terms = List.copyOf(terms);
  }

  /**
   * @return null when the text holds nothing to search for (only spaces, punctuation or emoji)
   */
  public static @Nullable NameQuery parse(String raw) {
    List<Segment> terms = SearchTokenizer.segments(raw);
    return terms.isEmpty() ? null : new NameQuery(terms);
  }

  /**
   * @throws ParleyException INVALID_ARGUMENT (field {@code query}) when the text holds nothing to
   *     search for
   */
  public static NameQuery require(String raw) {
    NameQuery q = parse(raw);
    if (q == null)
      throw ParleyException.invalid("query", "the query has no words or characters to search for");
    return q;
  }

  /** How {@code name} matches, or null when some term is not in it. */
  public @Nullable Match match(String name) {
    List<Segment> words = SearchTokenizer.segments(name);
    List<Range> ranges = new ArrayList<>();
    boolean infix = false;
    boolean firstAtStart = false;
    for (int t = 0; t < terms.size(); t++) {
      Hit hit = find(terms.get(t), words);
      if (hit == null) return null;
      ranges.add(hit.range());
      infix |= !hit.atStart();
      if (t == 0) firstAtStart = hit.atStart() && hit.word() == 0;
    }
    Tier tier =
        exact(words) ? Tier.EXACT : infix ? Tier.INFIX : firstAtStart ? Tier.PREFIX : Tier.WORDS;
    return new Match(tier, merged(ranges));
  }

  /** Where term {@code t} is in word {@code word}, and whether at the word's start. */
  private record Hit(int word, boolean atStart, Range range) {}

  /** The first word the term begins, else (CJK) the first run that holds it. */
  private static @Nullable Hit find(Segment term, List<Segment> words) {
    String t = term.text();
    Hit inside = null;
    for (int w = 0; w < words.size(); w++) {
      Segment s = words.get(w);
      if (s.cjk() != term.cjk()) continue;
      if (s.text().startsWith(t)) return new Hit(w, true, new Range(s.start(), end(s, t.length())));
      int at = term.cjk() ? s.text().indexOf(t) : -1;
      if (at > 0 && inside == null)
        inside = new Hit(w, false, new Range(s.originAt(at), end(s, at + t.length())));
    }
    return inside;
  }

  /**
   * Where the original character of folded character {@code length - 1} ends: a character that
   * folds to two ("ß" to "ss") is marked whole when the match takes only its first half.
   */
  private static int end(Segment s, int length) {
    int k = length;
    while (k < s.text().length() && s.originAt(k) == s.originAt(length - 1)) k++;
    return s.originAt(k);
  }

  private boolean exact(List<Segment> words) {
    if (words.size() != terms.size()) return false;
    for (int i = 0; i < words.size(); i++)
      if (!words.get(i).text().equals(terms.get(i).text())) return false;
    return true;
  }

  /** Ascending, overlaps joined (two terms may mark the same letters: "jo joh"). */
  private static List<Range> merged(List<Range> ranges) {
    List<Range> sorted = new ArrayList<>(ranges);
    sorted.sort(Comparator.comparingInt(Range::start));
    List<Range> out = new ArrayList<>();
    for (Range r : sorted) {
      Range last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && r.start() <= last.end())
        out.set(out.size() - 1, new Range(last.start(), Math.max(last.end(), r.end())));
      else out.add(r);
    }
    return out;
  }
}
