package dev.parley.push.dispatch;

import dev.parley.common.bus.kafka.KafkaDeliveryBus;
import dev.parley.common.trace.TraceParent;
import dev.parley.proto.internal.Delivery;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The dispatcher's spans for one poll batch.
 *
 * <p>Each record that carries a sampled {@code traceparent} header gets a {@code dispatcher route}
 * span (CONSUMER), child of the message service's {@code bus publish}, from the poll until the
 * batch is handed over; its delivery goes on naming that span, so the gateway's spans continue the
 * message's trace. One trace per message, one such span per traced record.
 *
 * <p>A {@code Deliver} call carries a batch's deliveries for one gateway: the deliveries of many
 * messages, so of many traces. Its {@code dispatcher handover} span (CLIENT) is a child of the
 * first traced delivery and links to the others (at most {@link #MAX_LINKS}), rather than being
 * repeated in every trace: a trace shows when its message's batch went to each gateway.
 */
final class DispatchTrace {
  static final int MAX_LINKS = 128;

  private static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("parley.batch.size");
  private static final AttributeKey<String> GATEWAY = AttributeKey.stringKey("parley.gateway");
  private static final AttributeKey<Long> DELIVERIES = AttributeKey.longKey("parley.deliveries");

  private final Tracer tracer;
  private final int batchSize;
  private final List<Span> routes = new ArrayList<>(0);

  DispatchTrace(Tracer tracer, int batchSize) {
    this.tracer = tracer;
    this.batchSize = batchSize;
  }

  /**
   * {@code delivery} as read from {@code record}; when the record is traced, naming its own {@code
   * dispatcher route} span.
   */
  Delivery received(ConsumerRecord<?, ?> record, Delivery delivery) {
    Header header = record.headers().lastHeader(KafkaDeliveryBus.TRACEPARENT);
    if (header == null || header.value() == null) return delivery;
    SpanContext published =
        TraceParent.parse(new String(header.value(), StandardCharsets.US_ASCII));
    if (!published.isValid()) return delivery;
    Span route =
        tracer
            .spanBuilder("dispatcher route")
            .setSpanKind(SpanKind.CONSUMER)
            .setParent(TraceParent.parentOf(published))
            .setAttribute(BATCH_SIZE, (long) batchSize)
            .startSpan();
    routes.add(route);
    return delivery.toBuilder().setTraceparent(TraceParent.of(route.getSpanContext())).build();
  }

  /** The batch has been handed over (or given up). */
  void end() {
    routes.forEach(Span::end);
  }

  /**
   * The span of the calls that hand {@code deliveries} to {@code gateway}; invalid (a no-op) when
   * none of them is traced.
   */
  static Span handOver(Tracer tracer, String gateway, List<Delivery> deliveries) {
    SpanBuilder call = null;
    int links = 0;
    for (Delivery d : deliveries) {
      SpanContext route = TraceParent.parse(d.getTraceparent());
      if (!route.isValid()) continue;
      if (call == null) {
        call =
            tracer
                .spanBuilder("dispatcher handover")
                .setSpanKind(SpanKind.CLIENT)
                .setParent(TraceParent.parentOf(route));
      } else if (links < MAX_LINKS) {
        call.addLink(route);
        links++;
      }
    }
    if (call == null) return Span.getInvalid();
    return call.setAttribute(GATEWAY, gateway)
        .setAttribute(DELIVERIES, (long) deliveries.size())
        .startSpan();
  }
}
