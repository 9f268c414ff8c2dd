package dev.parley.gateway.delivery;

import dev.parley.common.trace.TraceParent;
import dev.parley.proto.internal.Delivery;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The spans of one traced delivery's fan-out on this gateway: {@code gateway dispatch} (CONSUMER),
 * child of the span named by the delivery's {@code traceparent}, from taking the delivery off the
 * bus until every frame is handed to its connection; under it one {@code gateway deliver} span per
 * recipient connection, from the hand-over until the frame is written to the socket.
 *
 * <p>Bounded: a group message may reach thousands of connections here, and a trace of thousands of
 * spans helps no one. The first {@link #TRACED_CONNECTIONS} connections get a span each; the others
 * share one more {@code gateway deliver} span (attribute {@code parley.connections}), which ends
 * when the last of their frames is written. A delivery without a (sampled) {@code traceparent}
 * costs one length test.
 */
final class FanoutTrace {
  static final int TRACED_CONNECTIONS = 16;

  private static final AttributeKey<Long> RECIPIENTS = AttributeKey.longKey("parley.recipients");
  private static final AttributeKey<Long> CONNECTIONS = AttributeKey.longKey("parley.connections");
  private static final AttributeKey<Long> USER_ID = AttributeKey.longKey("parley.user_id");
  private static final AttributeKey<Long> SESSION_ID = AttributeKey.longKey("parley.session_id");

  private static final FanoutTrace NONE = new FanoutTrace(null, Span.getInvalid());

  private final @Nullable Tracer tracer;
  private final Span dispatch;
  private int connections;
  private @Nullable SharedSpan rest;

  private FanoutTrace(@Nullable Tracer tracer, Span dispatch) {
    this.tracer = tracer;
    this.dispatch = dispatch;
  }

  static FanoutTrace start(Tracer tracer, Delivery delivery) {
    SpanContext parent = TraceParent.parse(delivery.getTraceparent());
    if (!parent.isValid()) return NONE;
    Span dispatch =
        tracer
            .spanBuilder("gateway dispatch")
            .setSpanKind(SpanKind.CONSUMER)
            .setParent(TraceParent.parentOf(parent))
            .setAttribute(RECIPIENTS, (long) delivery.getUserIdsCount())
            .startSpan();
    return new FanoutTrace(tracer, dispatch);
  }

  /** What {@code to}'s connection runs once the frame handed to it now is written (or dropped). */
  Runnable handingTo(Recipient to) {
    if (tracer == null) return Recipient.NOTHING;
    connections++;
    if (connections <= TRACED_CONNECTIONS) {
      Span write =
          tracer
              .spanBuilder("gateway deliver")
              .setParent(TraceParent.parentOf(dispatch.getSpanContext()))
              .setAttribute(USER_ID, to.userId())
              .setAttribute(SESSION_ID, to.sessionId())
              .startSpan();
      return write::end;
    }
    if (rest == null) {
      rest =
          new SharedSpan(
              tracer
                  .spanBuilder("gateway deliver")
                  .setParent(TraceParent.parentOf(dispatch.getSpanContext()))
                  .startSpan());
    }
    return rest.oneMore();
  }

  /** Every frame has been handed over. */
  void end() {
    if (tracer == null) return;
    dispatch.setAttribute(CONNECTIONS, (long) connections);
    if (rest != null) rest.allHandedOver();
    dispatch.end();
  }

  /** One span for many writes on many event loops: it ends when the last of them is done. */
  private static final class SharedSpan {
    private final Span span;
    private final AtomicInteger open = new AtomicInteger(1); // 1: until all are handed over
    private long count;

    SharedSpan(Span span) {
      this.span = span;
    }

    Runnable oneMore() {
      count++;
      open.incrementAndGet();
      return this::done;
    }

    void allHandedOver() {
      span.setAttribute(CONNECTIONS, count);
      done();
    }

    private void done() {
      if (open.decrementAndGet() == 0) span.end();
    }
  }
}
