package dev.parley.gateway.ws;

import dev.parley.common.grpc.TraceContext;
import dev.parley.proto.client.Response;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.util.function.Supplier;

/**
 * The trace of one client request forwarded to a service: its id, which its log lines carry as
 * {@code trace_id}, and its {@code gateway <op>} span (SERVER), the root of the message's trace.
 * Sampling is decided here, once per request; the services follow the decision through {@code
 * traceparent}. With tracing off the span is OpenTelemetry's no-op and only the id remains.
 */
final class RequestTrace {
  private static final AttributeKey<String> OP = AttributeKey.stringKey("parley.op");
  private static final AttributeKey<String> ERROR = AttributeKey.stringKey("parley.error");

  private final String traceId;
  private final Span span;

  private RequestTrace(String traceId, Span span) {
    this.traceId = traceId;
    this.span = span;
  }

  /**
   * Starts the span of a request for {@code op}, in a new trace. The span's trace id is the log
   * trace id; without a tracer (the no-op API gives an invalid span) a random one.
   */
  static RequestTrace start(Tracer tracer, String op) {
    Span span =
        tracer
            .spanBuilder("gateway " + op)
            .setSpanKind(SpanKind.SERVER)
            .setNoParent()
            .setAttribute(OP, op)
            .startSpan();
    SpanContext context = span.getSpanContext();
    return new RequestTrace(
        context.isValid() ? context.getTraceId() : TraceContext.newTraceId(), span);
  }

  String traceId() {
    return traceId;
  }

  /** Runs {@code call} (a service call's start) in this trace, under this span. */
  <T> T in(Supplier<T> call) {
    return TraceContext.in(traceId, span.getSpanContext(), call);
  }

  /** Ends the span once the response is known; an error response marks it failed. */
  void end(Response.Builder response) {
    if (response.hasError()) {
      span.setAttribute(ERROR, response.getError().getReason().name());
      span.setStatus(StatusCode.ERROR);
    }
    span.end();
  }
}
