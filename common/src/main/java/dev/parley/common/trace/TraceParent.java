package dev.parley.common.trace;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import org.jspecify.annotations.Nullable;

/**
 * A span's identity in the W3C {@code traceparent} format ({@code 00-<trace id>-<span
 * id>-<flags>}), as it travels between processes and threads: in gRPC metadata, in a Kafka record
 * header and in the {@code traceparent} field of a bus delivery. Whoever receives it starts its
 * spans as children of the span it names, and so continues the same trace.
 *
 * <p>Only a sampled span is worth sending: an unsampled or invalid one gives the empty string,
 * which is what a delivery carries when its message is not traced (nothing extra on the wire).
 */
public final class TraceParent {
  private static final int LENGTH = 55;

  private TraceParent() {}

  /** The header value naming {@code span}; empty when the span is invalid or not sampled. */
  public static String of(SpanContext span) {
    if (!span.isValid() || !span.isSampled()) return "";
    return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-01";
  }

  /**
   * The span a header value names, as a remote parent; invalid when the value is absent, malformed
   * or not sampled (the receiver then decides by itself, as for a new trace).
   */
  public static SpanContext parse(@Nullable String value) {
    if (value == null || value.length() != LENGTH || !value.startsWith("00-")) {
      return SpanContext.getInvalid();
    }
    String traceId = value.substring(3, 35);
    String spanId = value.substring(36, 52);
    if (value.charAt(35) != '-'
        || value.charAt(52) != '-'
        || !TraceId.isValid(traceId)
        || !SpanId.isValid(spanId)
        || !isSampled(value.substring(53))) {
      return SpanContext.getInvalid();
    }
    return SpanContext.createFromRemoteParent(
        traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault());
  }

  /** The flags' lowest bit is "sampled"; the others are for future versions and ignored. */
  private static boolean isSampled(String flags) {
    try {
      return (Integer.parseInt(flags, 16) & 1) == 1;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** A context whose current span is {@code span}, to start children of it from any thread. */
  public static Context parentOf(SpanContext span) {
    return Context.root().with(Span.wrap(span));
  }
}
