package dev.parley.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A parsed Prometheus text exposition ({@code GET /metrics}): series with labels and a value. Only
 * what the bench reads: comment lines are skipped, timestamps ignored.
 */
public final class PrometheusText {
  public record Series(String name, Map<String, String> labels, double value) {}

  private final List<Series> series;

  private PrometheusText(List<Series> series) {
    this.series = series;
  }

  public static PrometheusText parse(String text) {
    List<Series> list = new ArrayList<>();
    for (String raw : text.split("\n")) {
      String line = raw.trim();
      if (line.isEmpty() || line.startsWith("#")) continue;
      try {
        list.add(parseLine(line));
      } catch (RuntimeException e) {
        // A line this parser does not understand: skip it, the rest is still useful.
      }
    }
    return new PrometheusText(list);
  }

  private static Series parseLine(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    String name;
    Map<String, String> labels = new LinkedHashMap<>();
    String rest;
    if (brace >= 0 && (space < 0 || brace < space)) {
      name = line.substring(0, brace);
      int close = line.lastIndexOf('}');
      parseLabels(line.substring(brace + 1, close), labels);
      rest = line.substring(close + 1).trim();
    } else {
      name = line.substring(0, space);
      rest = line.substring(space + 1).trim();
    }
    String value = rest.split("\\s+")[0];
    return new Series(name, labels, parseValue(value));
  }

  private static void parseLabels(String s, Map<String, String> labels) {
    int i = 0;
    while (i < s.length()) {
      int eq = s.indexOf('=', i);
      if (eq < 0) return;
      String key = s.substring(i, eq).trim();
      if (key.startsWith(",")) key = key.substring(1).trim();
      int q = s.indexOf('"', eq);
      StringBuilder v = new StringBuilder();
      int j = q + 1;
      for (; j < s.length() && s.charAt(j) != '"'; j++) {
        char c = s.charAt(j);
        if (c == '\\' && j + 1 < s.length()) {
          char n = s.charAt(++j);
          v.append(n == 'n' ? '\n' : n);
        } else {
          v.append(c);
        }
      }
      labels.put(key, v.toString());
      i = j + 1;
      while (i < s.length() && (s.charAt(i) == ',' || s.charAt(i) == ' ')) i++;
    }
  }

  private static double parseValue(String v) {
    return switch (v) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(v);
    };
  }

  public List<Series> series() {
    return series;
  }

  public boolean has(String name) {
    return series.stream().anyMatch(s -> s.name().equals(name));
  }

  /**
   * The sum over the series named {@code name} whose labels pass {@code filter}; null when none.
   */
  public @Nullable Double sum(String name, Predicate<Map<String, String>> filter) {
    Double sum = null;
    for (Series s : series) {
      if (s.name().equals(name) && filter.test(s.labels()) && !Double.isNaN(s.value())) {
        sum = (sum == null ? 0 : sum) + s.value();
      }
    }
    return sum;
  }

  public @Nullable Double sum(String name) {
    return sum(name, l -> true);
  }

  /** The largest value among the series named {@code name}; null when none. */
  public @Nullable Double max(String name) {
    Double max = null;
    for (Series s : series) {
      if (s.name().equals(name) && !Double.isNaN(s.value()))
        max = max == null ? s.value() : Math.max(max, s.value());
    }
    return max;
  }
}
