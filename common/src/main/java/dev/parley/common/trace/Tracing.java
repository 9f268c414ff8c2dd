package dev.parley.common.trace;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The process's tracer. Off by default ({@link #off()}: OpenTelemetry's no-op API, every span call
 * costs a few branches); with {@code tracing.exporter: otlp} spans are batched and sent to a
 * collector over OTLP/HTTP, by the JDK's HTTP client (the OkHttp sender the exporter brings by
 * default is excluded from the build). Sampling is decided where a trace starts, at the configured
 * ratio; every later span follows its parent's decision, so a trace is kept whole or not at all.
 */
public final class Tracing implements AutoCloseable {
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  private static final AttributeKey<String> INSTANCE_ID =
      AttributeKey.stringKey("service.instance.id");

  /**
   * A traced message makes about ten spans: at 1,000 messages/s the SDK's defaults (2,048 queued,
   * 512 per export) fill the queue in a fifth of a second and drop spans whenever an export is
   * late, and make twenty requests a second. Larger exports cost fewer requests for the same bytes.
   */
  private static final int MAX_QUEUED_SPANS = 32_768;

  private static final int EXPORT_BATCH_SPANS = 4_096;

  private final OpenTelemetry otel;
  private final @Nullable SdkTracerProvider provider;

  private Tracing(OpenTelemetry otel, @Nullable SdkTracerProvider provider) {
    this.otel = otel;
    this.provider = provider;
  }

  public static Tracing off() {
    return new Tracing(OpenTelemetry.noop(), null);
  }

  /** The configured tracer of a process named {@code service} ({@code parley-msg}, …). */
  public static Tracing create(TracingConfig config, String service, String instance) {
    // Ratio 0 keeps nothing: the no-op API then spares every request the SDK's sampling, ids and
    // non-recording spans.
    if (!config.enabled() || config.samplingRatio() == 0) return off();
    SpanExporter exporter =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(config.otlpEndpoint())
            .setMemoryMode(MemoryMode.REUSABLE_DATA)
            .build();
    return exportingTo(
        BatchSpanProcessor.builder(exporter)
            .setMaxQueueSize(MAX_QUEUED_SPANS)
            .setMaxExportBatchSize(EXPORT_BATCH_SPANS)
            .build(),
        Sampler.traceIdRatioBased(config.samplingRatio()),
        service,
        instance);
  }

  /** Spans go to {@code processor} (tests pass a simple processor over an in-memory exporter). */
  public static Tracing exportingTo(
      SpanProcessor processor, Sampler rootSampler, String service, String instance) {
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(
                        Resource.create(
                            Attributes.of(SERVICE_NAME, service, INSTANCE_ID, instance))))
            .setSampler(Sampler.parentBased(rootSampler))
            .setIdGenerator(new LogTraceIds())
            .addSpanProcessor(processor)
            .build();
    return new Tracing(OpenTelemetrySdk.builder().setTracerProvider(provider).build(), provider);
  }

  public Tracer tracer(String scope) {
    return otel.getTracer(scope);
  }

  /** Sends what is still buffered (for up to five seconds), then stops. */
  @Override
  public void close() {
    if (provider != null) provider.shutdown().join(5, TimeUnit.SECONDS);
  }
}
