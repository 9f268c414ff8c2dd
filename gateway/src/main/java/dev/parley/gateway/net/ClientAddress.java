package dev.parley.gateway.net;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The client's IP address as the gateway sees it: the TCP peer. (Behind a proxy this is the proxy;
 * trusting X-Forwarded-For would need a configured list of trusted proxies, which we do not have
 * yet.)
 */
public final class ClientAddress {
  private ClientAddress() {}

  /** The peer's IP address as text, or "" when the channel has none (tests, closed channels). */
  public static String of(Channel ch) {
    SocketAddress a = ch.remoteAddress();
    if (a instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress().getHostAddress();
    }
    return "";
  }
}
