package dev.parley.msg.search;

import dev.parley.msg.search.SearchQuery.Range;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a found message shown in results, and where the matches are in it: offsets and
 * lengths in UTF-16 code units of {@code text}, as for mentions (protocol.md 22). A long text is
 * cut to about {@value #WIDTH} characters around the first match, with "…" where it was cut.
 */
public record Snippet(String text, List<Range> marks) {
  static final int WIDTH = 120;
  static final int BEFORE = 40;
  private static final String CUT = "…";

  public Snippet {
    marks = List.copyOf(marks);
  }

  static Snippet of(String text, List<Range> matches) {
    if (text.length() <= WIDTH) return new Snippet(text, matches);
    int from = matches.isEmpty() ? 0 : Math.max(0, matches.get(0).start() - BEFORE);
    int to = Math.min(text.length(), from + WIDTH);
    if (to == text.length()) from = Math.max(0, to - WIDTH);
    // Never split a surrogate pair.
    if (from > 0 && Character.isLowSurrogate(text.charAt(from))) from--;
    if (to < text.length() && Character.isLowSurrogate(text.charAt(to))) to++;
    String head = from > 0 ? CUT : "";
    String body = text.substring(from, to);
    List<Range> marks = new ArrayList<>();
    for (Range r : matches) {
      int s = Math.max(r.start(), from);
      int e = Math.min(r.end(), to);
      if (s < e) marks.add(new Range(s - from + head.length(), e - from + head.length()));
    }
    return new Snippet(head + body + (to < text.length() ? CUT : ""), marks);
  }
}
