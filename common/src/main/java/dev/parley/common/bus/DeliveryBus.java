package dev.parley.common.bus;

import dev.parley.proto.internal.Delivery;
import java.util.function.Consumer;

/**
 * Carries events from services to the gateways that hold the recipients' connections. Delivery is
 * best effort by design: a device that misses an event (offline, slow, reconnecting) catches up
 * through sync, so the bus never needs to be the only copy of anything.
 */
public interface DeliveryBus {
  void publish(Delivery delivery);

  /** Registers a gateway's sink. Returns a handle that unsubscribes it. */
  AutoCloseable subscribe(Consumer<Delivery> sink);
}
