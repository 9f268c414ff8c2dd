package dev.parley.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listeners of one kind on a connection. Values are handed to the connection's callback executor (a
 * {@link SerialExecutor}) that all its listener kinds share, so every listener sees every value of
 * every kind in the order the connection emitted them, one at a time.
 */
final class Listeners<T> {
  private static final Logger log = LoggerFactory.getLogger(Listeners.class);

  private final String name;
  private final Executor callbacks;
  private final List<Consumer<? super T>> listeners = new CopyOnWriteArrayList<>();

  Listeners(String name, Executor callbacks) {
    this.name = name;
    this.callbacks = callbacks;
  }

  Connection.Subscription add(Consumer<? super T> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  void emit(T value) {
    callbacks.execute(
        () -> {
          for (Consumer<? super T> listener : listeners) {
            try {
              listener.accept(value);
            } catch (RuntimeException e) {
              log.warn("{}: a listener failed on {}", name, value, e);
            }
          }
        });
  }
}
