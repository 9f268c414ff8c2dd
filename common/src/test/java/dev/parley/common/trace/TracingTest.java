package dev.parley.common.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.parley.common.grpc.TraceContext;
import io.opentelemetry.api.trace.Span;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The configured tracer: off by default, and with OTLP on, spans reach a collector over HTTP. */
class TracingTest {
  @Test
  void offByDefault_spansAreNoOps() {
    try (Tracing tracing = Tracing.create(TracingConfig.off(), "parley", "test")) {
      Span span = tracing.tracer("test").spanBuilder("x").startSpan();
      assertThat(span.getSpanContext().isValid()).isFalse();
      span.end();
    }
  }

  @Test
  void otlp_sendsTheSpansOfARequestUnderItsLogTraceId_toTheCollector() throws Exception {
    List<String> contentTypes = new CopyOnWriteArrayList<>();
    List<byte[]> bodies = new CopyOnWriteArrayList<>();
    HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    collector.createContext(
        "/v1/traces",
        exchange -> {
          contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
          bodies.add(exchange.getRequestBody().readAllBytes());
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    collector.start();
    String traceId = TraceContext.newTraceId();
    try {
      TracingConfig config =
          new TracingConfig(
              "otlp", "http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/traces", 1.0);
      try (Tracing tracing = Tracing.create(config, "parley", "test")) {
        Span span =
            TraceContext.in(
                traceId, () -> tracing.tracer("test").spanBuilder("msg send").startSpan());
        assertThat(span.getSpanContext().getTraceId()).isEqualTo(traceId);
        span.end();
      } // close flushes the batch
    } finally {
      collector.stop(0);
    }
    assertThat(contentTypes).containsExactly("application/x-protobuf");
    // The OTLP protobuf body carries the span's name and its 16 trace id bytes as they are.
    String body = new String(bodies.get(0), StandardCharsets.ISO_8859_1);
    assertThat(body).contains("msg send");
    assertThat(body)
        .contains(new String(HexFormat.of().parseHex(traceId), StandardCharsets.ISO_8859_1));
  }

  @Test
  void samplingRatioZero_isOff_theNoOpApiMakesNoSpanContext() {
    try (Tracing tracing =
        Tracing.create(new TracingConfig("otlp", "http://127.0.0.1:9/v1/traces", 0.0), "p", "t")) {
      Span span = tracing.tracer("test").spanBuilder("x").startSpan();
      // Not even an unsampled span: no ids drawn, no sampler asked, nothing queued.
      assertThat(span.getSpanContext().isValid()).isFalse();
      span.end();
    }
  }
}
