package dev.parley.msg.grpc;

import dev.parley.common.bus.DeliveryBus;
import dev.parley.common.trace.TraceParent;
import dev.parley.msg.core.UpdateSink;
import dev.parley.msg.core.log.Appended;
import dev.parley.msg.feed.FeedItem;
import dev.parley.proto.client.Event;
import dev.parley.proto.client.Update;
import dev.parley.proto.internal.Delivery;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import java.util.List;

/**
 * Sends committed updates to the gateways as Deliveries, on the Publisher's thread. An appended
 * entry becomes one Delivery for all its recipients; user_pts is set only when some recipient's
 * feed holds the entry (0 for the others), so a group message is one frame per encoding for all its
 * recipients, and a one-to-one message one per recipient user (their pts differ), never one per
 * device.
 *
 * <p>Traces: an entry whose command was traced ({@link Appended#trace()}) is published under a
 * {@code bus publish} span (PRODUCER), child of the command's span; the delivery carries that span
 * in its {@code traceparent}, so the dispatcher's and the gateways' spans join the message's trace.
 * An untraced entry costs one flag test.
 */
public final class UpdatePublisher implements UpdateSink {
  private static final AttributeKey<Long> RECIPIENTS = AttributeKey.longKey("parley.recipients");

  private final DeliveryBus bus;
  private final Tracer tracer;

  public UpdatePublisher(DeliveryBus bus, Tracer tracer) {
    this.bus = bus;
    this.tracer = tracer;
  }

  @Override
  public void appended(Appended a) {
    Delivery.Builder d =
        Delivery.newBuilder()
            .setEvent(
                Event.newBuilder()
                    .setUpdate(Update.newBuilder().setMessage(Protos.message(a.entry()))));
    boolean inFeeds = false;
    for (long p : a.pts()) inFeeds |= p != 0;
    for (int i = 0; i < a.recipients().length; i++) {
      d.addUserIds(a.recipients()[i]);
      if (inFeeds) d.addUserPts(a.pts()[i]);
    }
    if (!a.trace().isSampled()) {
      bus.publish(d.build());
      return;
    }
    Span span =
        tracer
            .spanBuilder("bus publish")
            .setSpanKind(SpanKind.PRODUCER)
            .setParent(TraceParent.parentOf(a.trace()))
            .setAttribute(RECIPIENTS, (long) a.recipients().length)
            .startSpan();
    try {
      bus.publish(d.setTraceparent(TraceParent.of(span.getSpanContext())).build());
    } finally {
      span.end();
    }
  }

  @Override
  public void published(List<FeedItem> items, long[] pts) {
    // Items of one call are few (a read marker and its receipts): one delivery each.
    for (int i = 0; i < items.size(); i++) {
      FeedItem item = items.get(i);
      Update u = Protos.update(item, pts[i]);
      bus.publish(
          Delivery.newBuilder()
              .addUserIds(item.userId())
              .addUserPts(pts[i])
              .setEvent(Event.newBuilder().setUpdate(u))
              .build());
    }
  }
}
