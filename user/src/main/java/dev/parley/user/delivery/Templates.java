package dev.parley.user.delivery;

import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code {name}} placeholders, replaced in one pass so that a value is never itself expanded. */
final class Templates {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]+)\\}");

  private Templates() {}

  static String fill(String template, Map<String, String> values) {
    return fill(template, values, UnaryOperator.identity());
  }

  /** Unknown placeholders are left as they are; known ones get {@code escape(value)}. */
  static String fill(String template, Map<String, String> values, UnaryOperator<String> escape) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      m.appendReplacement(
          out, Matcher.quoteReplacement(value == null ? m.group() : escape.apply(value)));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Escapes for the inside of a JSON string literal. */
  static String jsonEscape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029')
            out.append(String.format("\\u%04x", (int) c));
          else out.append(c);
        }
      }
    }
    return out.toString();
  }
}
