package dev.parley.bench.report;

import org.HdrHistogram.Histogram;

/** A latency distribution in milliseconds (recorded in microseconds). Empty: count 0, all zeros. */
public record LatencySummary(
    long count,
    double meanMs,
    double p50Ms,
    double p90Ms,
    double p99Ms,
    double p999Ms,
    double maxMs) {

  public static LatencySummary of(Histogram h) {
    Histogram c = h.copy();
    if (c.getTotalCount() == 0) return new LatencySummary(0, 0, 0, 0, 0, 0, 0);
    return new LatencySummary(
        c.getTotalCount(),
        ms(c.getMean()),
        ms(c.getValueAtPercentile(50)),
        ms(c.getValueAtPercentile(90)),
        ms(c.getValueAtPercentile(99)),
        ms(c.getValueAtPercentile(99.9)),
        ms(c.getMaxValue()));
  }

  private static double ms(double micros) {
    return Math.round(micros) / 1000.0;
  }

  /** "p50/p99/p99.9/max" in ms, for tables. */
  public String brief() {
    if (count == 0) return "-";
    return fmt(p50Ms) + "/" + fmt(p99Ms) + "/" + fmt(p999Ms) + "/" + fmt(maxMs);
  }

  static String fmt(double ms) {
    if (ms >= 100) return String.format("%.0f", ms);
    if (ms >= 10) return String.format("%.1f", ms);
    return String.format("%.2f", ms);
  }
}
