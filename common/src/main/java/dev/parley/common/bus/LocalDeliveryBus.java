package dev.parley.common.bus;

import dev.parley.proto.internal.Delivery;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The single-node bus: hands each delivery to every subscriber on the publishing thread. */
public final class LocalDeliveryBus implements DeliveryBus {
  private static final Logger log = LoggerFactory.getLogger(LocalDeliveryBus.class);
  private final CopyOnWriteArrayList<Consumer<Delivery>> sinks = new CopyOnWriteArrayList<>();

  @Override
  public void publish(Delivery delivery) {
    for (Consumer<Delivery> sink : sinks) {
      try {
        sink.accept(delivery);
      } catch (RuntimeException e) {
        log.warn("Delivery sink failed", e);
      }
    }
  }

  @Override
  public AutoCloseable subscribe(Consumer<Delivery> sink) {
    sinks.add(sink);
    return () -> sinks.remove(sink);
  }
}
