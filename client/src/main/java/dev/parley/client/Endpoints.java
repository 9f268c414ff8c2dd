package dev.parley.client;

import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server addresses a client may use: one, or several gateways of a cluster. Everything uses the
 * current one; when a connection attempt to it fails, the next one becomes current, so a client
 * whose gateway dies reconnects to another (after one quick failed attempt at the dead one). Order
 * is the caller's preference.
 */
final class Endpoints {
  private final List<URI> bases;
  private final AtomicInteger current = new AtomicInteger();

  Endpoints(List<URI> bases) {
    if (bases.isEmpty())
      throw new IllegalArgumentException("at least one server address is needed");
    this.bases = List.copyOf(bases);
  }

  URI base() {
    return bases.get(Math.floorMod(current.get(), bases.size()));
  }

  URI webSocket() {
    return webSocketUri(base());
  }

  /** The given address failed: move on to the next one, unless someone already did. */
  void failed(URI base) {
    int i = current.get();
    if (bases.size() > 1 && bases.get(Math.floorMod(i, bases.size())).equals(base)) {
      current.compareAndSet(i, i + 1);
    }
  }

  static URI webSocketUri(URI base) {
    String path = base.getRawPath() == null ? "" : base.getRawPath();
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String scheme = "https".equals(base.getScheme()) ? "wss" : "ws";
    return URI.create(scheme + "://" + base.getRawAuthority() + path + "/ws");
  }
}
