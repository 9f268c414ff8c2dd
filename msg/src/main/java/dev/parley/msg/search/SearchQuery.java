package dev.parley.msg.search;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A parsed search query (design.md 14.1, 14.3): its terms, which index tokens a candidate must
 * hold, and the exact check of a candidate's decrypted text, which is what decides.
 *
 * <p>Words must all occur, in any order; a query in double quotes is a phrase (its terms in a row).
 * The last word matches as a prefix while the user is typing, that is unless the query ends in a
 * space or a quote. A CJK term matches anywhere inside a CJK run of the text.
 *
 * @param terms at least one
 */
public record SearchQuery(List<Term> terms, boolean phrase) {

  /** A folded word or CJK run; {@code prefix}: the word may continue (only the last word). */
  public record Term(String text, boolean cjk, boolean prefix) {}

  /** Where a match lies in the original text (UTF-16 indices, end exclusive). */
  public record Range(int start, int end) {}

  public SearchQuery {
    terms = List.copyOf(terms);
    if (terms.isEmpty()) throw new IllegalArgumentException("a query needs at least one term");
  }

  /**
   * @return null when the text holds nothing searchable (only spaces, punctuation or emoji)
   */
  public static @Nullable SearchQuery parse(String raw) {
    String q = raw.strip();
    boolean phrase = q.length() >= 2 && q.startsWith("\"") && q.endsWith("\"");
    if (phrase) q = q.substring(1, q.length() - 1);
    List<Segment> segments = SearchTokenizer.segments(q);
    if (segments.isEmpty()) return null;
    boolean typing =
        !phrase && !raw.isEmpty() && Character.isLetterOrDigit(raw.codePointBefore(raw.length()));
    List<Term> terms = new ArrayList<>();
    for (int i = 0; i < segments.size(); i++) {
      Segment s = segments.get(i);
      boolean last = i == segments.size() - 1;
      boolean prefix =
          typing
              && last
              && !s.cjk()
              && s.text().codePointCount(0, s.text().length()) >= SearchTokenizer.MIN_PREFIX;
      terms.add(new Term(s.text(), s.cjk(), prefix));
    }
    return new SearchQuery(terms, phrase);
  }

  /** The index tokens every matching message holds (a superset check: {@link #match} decides). */
  public Set<String> tokens() {
    Set<String> out = new LinkedHashSet<>();
    for (Term t : terms) {
      String s = t.text();
      if (t.cjk()) {
        int chars = s.codePointCount(0, s.length());
        if (chars == 1) out.add("c:" + s);
        for (int i = 0; chars > 1 && i < s.length(); i = s.offsetByCodePoints(i, 1)) {
          int one = s.offsetByCodePoints(i, 1);
          if (one < s.length()) out.add("c:" + s.substring(i, s.offsetByCodePoints(one, 1)));
        }
      } else if (t.prefix()) {
        out.add(SearchTokenizer.prefixLookup(s));
      } else {
        out.addAll(SearchTokenizer.wordLookup(s));
      }
    }
    return out;
  }

  /**
   * Where the query matches {@code text}, or null when it does not: every term somewhere (words),
   * or all terms in a row (phrase).
   */
  public @Nullable List<Range> match(String text) {
    List<Segment> segments = SearchTokenizer.segments(text);
    return phrase && terms.size() > 1 ? matchPhrase(segments) : matchWords(segments);
  }

  private @Nullable List<Range> matchWords(List<Segment> segments) {
    List<Range> out = new ArrayList<>();
    for (Term t : terms) {
      int before = out.size();
      for (Segment s : segments) {
        Range r = within(t, s);
        if (r != null) out.add(r);
      }
      if (out.size() == before) return null;
    }
    out.sort((a, b) -> Integer.compare(a.start(), b.start()));
    return out;
  }

  /** Term {@code t} inside segment {@code s}, or null. */
  private static @Nullable Range within(Term t, Segment s) {
    if (t.cjk() != s.cjk()) return null;
    String text = s.text();
    if (t.cjk()) {
      int at = text.indexOf(t.text());
      return at < 0 ? null : new Range(s.originAt(at), s.originAt(at + t.text().length()));
    }
    boolean hit = t.prefix() ? text.startsWith(t.text()) : text.equals(t.text());
    return hit ? new Range(s.start(), s.end()) : null;
  }

  /**
   * Terms in consecutive segments: a CJK first term may end its run and a CJK last term may start
   * its run (the phrase "北京 meeting" in "去北京 meeting"); the terms between are whole segments.
   */
  private @Nullable List<Range> matchPhrase(List<Segment> segments) {
    int n = terms.size();
    for (int i = 0; i + n <= segments.size(); i++) {
      int start = -1;
      int end = -1;
      boolean ok = true;
      for (int k = 0; k < n && ok; k++) {
        Term t = terms.get(k);
        Segment s = segments.get(i + k);
        String text = s.text();
        if (t.cjk() != s.cjk()) {
          ok = false;
        } else if (k == 0 && t.cjk()) {
          ok = text.endsWith(t.text());
          if (ok) start = s.originAt(text.length() - t.text().length());
        } else if (k == n - 1 && t.cjk()) {
          ok = text.startsWith(t.text());
          if (ok) end = s.originAt(t.text().length());
        } else {
          ok = text.equals(t.text());
          if (ok && k == 0) start = s.start();
          if (ok && k == n - 1) end = s.end();
        }
      }
      if (ok) return List.of(new Range(start, end));
    }
    return null;
  }
}
