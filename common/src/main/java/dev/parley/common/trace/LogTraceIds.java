package dev.parley.common.trace;

import dev.parley.common.grpc.TraceContext;
import io.opentelemetry.sdk.trace.IdGenerator;

/**
 * A trace started while a client request is served takes the request's trace id ({@link
 * TraceContext}), the one its log lines carry as {@code trace_id}: a span found in the tracing
 * back-end leads to the logs and back. Outside a request a trace gets a random id. Ratio sampling
 * decides by the trace id alone, so every process keeps or drops the same requests.
 */
final class LogTraceIds implements IdGenerator {
  private static final IdGenerator RANDOM = IdGenerator.random();

  @Override
  public String generateSpanId() {
    return RANDOM.generateSpanId();
  }

  @Override
  public String generateTraceId() {
    String current = TraceContext.current();
    return current != null ? current : RANDOM.generateTraceId();
  }
}
