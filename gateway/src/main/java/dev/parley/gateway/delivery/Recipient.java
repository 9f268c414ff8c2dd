package dev.parley.gateway.delivery;

import dev.parley.gateway.codec.Encoding;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.jspecify.annotations.Nullable;

/** An authenticated connection as the fan-out sees it. Identity is fixed once registered. */
public interface Recipient {
  long userId();

  long sessionId();

  Encoding encoding();

  /**
   * Sends an event frame already encoded for {@link #encoding()}, then, when {@code disconnect},
   * closes the connection with 4002. Callable from any thread; the work happens on the connection's
   * event loop. Takes ownership of {@code frame} (released if it cannot be sent).
   */
  void deliver(@Nullable WebSocketFrame frame, boolean disconnect);

  /** A {@code written} callback with nothing to do. */
  Runnable NOTHING = () -> {};

  /**
   * As {@link #deliver(WebSocketFrame, boolean)}, and runs {@code written} once the frame is
   * written to the socket or dropped (the end of its {@code gateway deliver} span).
   */
  default void deliver(@Nullable WebSocketFrame frame, boolean disconnect, Runnable written) {
    deliver(frame, disconnect);
    written.run();
  }
}
