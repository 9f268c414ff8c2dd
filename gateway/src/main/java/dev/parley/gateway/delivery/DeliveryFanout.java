package dev.parley.gateway.delivery;

import dev.parley.gateway.codec.Encoding;
import dev.parley.proto.client.ServerFrame;
import dev.parley.proto.internal.Delivery;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Hands each {@link Delivery} from the bus to the matching connections of this gateway.
 *
 * <p>Encoding: the event is serialized at most once per encoding, lazily (no JSON work when no JSON
 * client is a recipient). Every recipient gets a retained duplicate of that buffer: duplicates
 * share the bytes and the reference count, each frame's eventual release gives back one reference,
 * and the fan-out releases its own reference when done, so the bytes are freed after the last
 * write.
 *
 * <p>Filters: {@code only_session_id} and {@code except_session_id} decide who gets the event;
 * {@code disconnect_session_id} independently names the session whose connections are then closed
 * (4002). Runs on the publishing thread; the writes happen on each connection's event loop.
 */
public final class DeliveryFanout implements Consumer<Delivery> {
  private final ConnectionRegistry registry;
  private final ByteBufAllocator alloc;
  private final Tracer tracer;

  public DeliveryFanout(ConnectionRegistry registry, ByteBufAllocator alloc) {
    this(registry, alloc, OpenTelemetry.noop().getTracer("none"));
  }

  /**
   * @param tracer the spans of a traced delivery's fan-out ({@link FanoutTrace})
   */
  public DeliveryFanout(ConnectionRegistry registry, ByteBufAllocator alloc, Tracer tracer) {
    this.registry = registry;
    this.alloc = alloc;
    this.tracer = tracer;
  }

  /**
   * Recipients without a pts of their own (no user_pts, or 0 in it: a group entry outside their
   * feed, or any other event) share one frame; an update that a recipient holds in their feed
   * carries that user's pts, so its frame differs per user (encoded once per user and encoding, and
   * shared by that user's devices).
   */
  @Override
  public void accept(Delivery delivery) {
    boolean withPts = delivery.getUserPtsCount() > 0;
    if (withPts
        && (delivery.getUserPtsCount() != delivery.getUserIdsCount()
            || !delivery.getEvent().hasUpdate())) {
      throw new IllegalArgumentException("user_pts must pair with user_ids and an update event");
    }
    FanoutTrace trace = FanoutTrace.start(tracer, delivery);
    try {
      fanOut(delivery, withPts, trace);
    } finally {
      trace.end();
    }
  }

  private void fanOut(Delivery delivery, boolean withPts, FanoutTrace trace) {
    List<Long> shared = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < delivery.getUserIdsCount(); i++) {
      long userId = delivery.getUserIds(i);
      if (!seen.add(userId)) continue;
      long pts = withPts ? delivery.getUserPts(i) : 0;
      if (pts == 0) {
        shared.add(userId);
      } else if (!registry.connectionsOf(userId).isEmpty()) {
        var event = delivery.getEvent().toBuilder();
        event.getUpdateBuilder().setPts(pts);
        deliver(delivery, List.of(userId), ServerFrame.newBuilder().setEvent(event).build(), trace);
      }
    }
    if (!shared.isEmpty()) {
      deliver(
          delivery,
          shared,
          delivery.hasEvent()
              ? ServerFrame.newBuilder().setEvent(delivery.getEvent()).build()
              : null,
          trace);
    }
  }

  private void deliver(
      Delivery delivery, Iterable<Long> users, @Nullable ServerFrame frame, FanoutTrace trace) {
    Map<Encoding, ByteBuf> encoded = new EnumMap<>(Encoding.class);
    try {
      for (long userId : users) {
        for (Recipient r : registry.connectionsOf(userId)) {
          boolean disconnect =
              delivery.getDisconnectSessionId() != 0
                  && delivery.getDisconnectSessionId() == r.sessionId();
          boolean wanted = frame != null && matches(delivery, r.sessionId());
          if (!wanted && !disconnect) continue;
          WebSocketFrame out = null;
          if (wanted) {
            ByteBuf bytes =
                encoded.computeIfAbsent(
                    r.encoding(), e -> e.encode(Objects.requireNonNull(frame), alloc));
            out =
                r.encoding() == Encoding.PROTOBUF
                    ? new BinaryWebSocketFrame(bytes.retainedDuplicate())
                    : new TextWebSocketFrame(bytes.retainedDuplicate());
          }
          r.deliver(out, disconnect, out != null ? trace.handingTo(r) : Recipient.NOTHING);
        }
      }
    } finally {
      encoded.values().forEach(ByteBuf::release);
    }
  }

  private static boolean matches(Delivery d, long sessionId) {
    if (d.getOnlySessionId() != 0 && d.getOnlySessionId() != sessionId) return false;
    return d.getExceptSessionId() == 0 || d.getExceptSessionId() != sessionId;
  }
}
