package dev.parley.bench.load;

/**
 * How one (re)connection of a device went: from the start of the connect to fully synced.
 *
 * @param connectNanos token refresh (if any), TCP connect and WebSocket handshake
 * @param authNanos the authenticate round trip
 * @param syncNanos get_state (first connection) or the get_difference loop (reconnect)
 * @param requests requests sent: authenticate plus get_state or every get_difference page
 * @param pages get_difference pages
 * @param updates feed updates received by get_difference
 * @param bytes bytes received on the socket until synced
 */
public record CatchUp(long connectNanos, long authNanos, long syncNanos, int requests, int pages, long updates,
    long bytes) {
  public long totalNanos() {
    return connectNanos + authNanos + syncNanos;
  }
}
