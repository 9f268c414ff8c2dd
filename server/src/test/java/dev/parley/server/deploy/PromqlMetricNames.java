package dev.parley.server.deploy;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads, found loosely: identifiers outside label matchers,
 * strings, range brackets and grouping clauses, that are not followed by "(" (functions and
 * aggregations) and are not keywords. Loose on purpose: a full PromQL parser is not worth it for
 * catching a dashboard that names a metric no process exports, and a name it wrongly reports shows
 * up at once as "not exported".
 */
public final class PromqlMetricNames {
  private static final Set<String> KEYWORDS =
      Set.of(
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "and",
          "or",
          "unless",
          "offset",
          "bool",
          "inf",
          "nan",
          "atan2",
          "start",
          "end",
          // Aggregations: "sum by (le) (...)" puts a grouping between the name and its "(".
          "sum",
          "min",
          "max",
          "avg",
          "group",
          "stddev",
          "stdvar",
          "count",
          "count_values",
          "bottomk",
          "topk",
          "quantile",
          "limitk",
          "limit_ratio");
  private static final Set<String> GROUPING =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  private PromqlMetricNames() {}

  public static Set<String> of(String expr) {
    String text = blankOut(expr);
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(text);
    while (m.find()) {
      String word = m.group();
      if (m.start() > 0 && isPartOfNumber(text.charAt(m.start() - 1))) continue;
      if (KEYWORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) continue;
      if (nextNonSpace(text, m.end()) == '(') continue;
      names.add(word);
    }
    return names;
  }

  /**
   * Replaces what cannot name a metric with spaces: strings, {label matchers}, [ranges], $variables
   * of Grafana, and the label lists of by/without/on/ignoring/group_left/group_right.
   */
  private static String blankOut(String expr) {
    StringBuilder out = new StringBuilder(expr);
    int i = 0;
    while (i < out.length()) {
      char c = out.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        int end = i + 1;
        while (end < out.length() && out.charAt(end) != c) end += out.charAt(end) == '\\' ? 2 : 1;
        i = blank(out, i, Math.min(end, out.length() - 1));
      } else if (c == '{') {
        i = blank(out, i, closing(out, i, '{', '}'));
      } else if (c == '[') {
        i = blank(out, i, closing(out, i, '[', ']'));
      } else if (c == '$') {
        int end = i + 1;
        while (end < out.length()
            && (Character.isLetterOrDigit(out.charAt(end)) || out.charAt(end) == '_')) end++;
        i = blank(out, i, end - 1);
      } else if (Character.isLetter(c)
          && (i == 0
              || !Character.isLetterOrDigit(out.charAt(i - 1)) && out.charAt(i - 1) != '_')) {
        int end = i;
        while (end < out.length()
            && (Character.isLetterOrDigit(out.charAt(end)) || out.charAt(end) == '_')) end++;
        String word = out.substring(i, end);
        int paren = end;
        while (paren < out.length() && out.charAt(paren) == ' ') paren++;
        if (GROUPING.contains(word) && paren < out.length() && out.charAt(paren) == '(') {
          blank(out, paren, closing(out, paren, '(', ')'));
        }
        i = end;
      } else {
        i++;
      }
    }
    return out.toString();
  }

  private static int closing(StringBuilder s, int open, char o, char c) {
    int depth = 0;
    for (int j = open; j < s.length(); j++) {
      if (s.charAt(j) == o) depth++;
      if (s.charAt(j) == c && --depth == 0) return j;
    }
    return s.length() - 1;
  }

  /** Blanks [from, to] and returns the index after it. */
  private static int blank(StringBuilder s, int from, int to) {
    for (int j = from; j <= to; j++) s.setCharAt(j, ' ');
    return to + 1;
  }

  private static boolean isPartOfNumber(char before) {
    return Character.isDigit(before) || before == '.';
  }

  private static char nextNonSpace(String s, int from) {
    for (int j = from; j < s.length(); j++) {
      if (!Character.isWhitespace(s.charAt(j))) return s.charAt(j);
    }
    return 0;
  }
}
