package dev.parley.common.trace;

/**
 * Where spans go.
 *
 * @param exporter {@code none} (the default: no spans are kept, nothing is sent) or {@code otlp}
 * @param otlpEndpoint the collector's OTLP/HTTP traces URL, e.g. {@code
 *     http://otel-collector:4318/v1/traces}
 * @param samplingRatio the share of new traces kept, 0 to 1; a call that arrives with a trace keeps
 *     its caller's decision. 0 turns tracing off in this process, as {@code none} does (not even
 *     unsampled spans are made), so it also ends the traces that callers send
 */
public record TracingConfig(String exporter, String otlpEndpoint, double samplingRatio) {
  public TracingConfig {
    if (!exporter.equals("none") && !exporter.equals("otlp"))
      throw new IllegalArgumentException("tracing.exporter must be none or otlp, not " + exporter);
    if (!(samplingRatio >= 0 && samplingRatio <= 1))
      throw new IllegalArgumentException("tracing.sampling-ratio must lie in 0..1");
  }

  public static TracingConfig off() {
    return new TracingConfig("none", "", 1.0);
  }

  public boolean enabled() {
    return exporter.equals("otlp");
  }
}
