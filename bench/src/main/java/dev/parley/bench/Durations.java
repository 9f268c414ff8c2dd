package dev.parley.bench;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations on the command line as in the server's configuration: 250ms, 30s, 5m, 2h (a bare
 * number: seconds).
 */
public final class Durations implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  public static Duration parse(String value) {
    String v = value.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      if (v.startsWith("pt")) return Duration.parse(v);
      if (v.endsWith("ms"))
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      if (v.endsWith("s"))
        return Duration.ofMillis(
            Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
      if (v.endsWith("m"))
        return Duration.ofSeconds(
            Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60));
      if (v.endsWith("h"))
        return Duration.ofSeconds(
            Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 3600));
      return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
    } catch (RuntimeException e) {
      throw new TypeConversionException(
          "'" + value + "' is not a duration (examples: 250ms, 30s, 5m, 2h)");
    }
  }

  /** "30s", "5m", "250ms": the short form used in reports. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0 && ms > 0) return ms / 3_600_000 + "h";
    if (ms % 60_000 == 0 && ms > 0) return ms / 60_000 + "m";
    if (ms % 1000 == 0) return ms / 1000 + "s";
    return ms + "ms";
  }
}
