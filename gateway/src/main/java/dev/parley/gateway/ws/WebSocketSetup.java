package dev.parley.gateway.ws;

import dev.parley.gateway.codec.Encoding;
import io.netty.channel.Channel;

/** Adds the per-connection WebSocket handlers to a channel whose upgrade was accepted. */
@FunctionalInterface
public interface WebSocketSetup {
  void install(Channel ch, Encoding encoding);
}
