package dev.parley.bench.load;

/**
 * How one (re)connection of a device went: from the start of the connect to fully synced.
 *
 * @param connectNanos token refresh (if any), TCP connect and WebSocket handshake
 * @param authNanos the authenticate round trip
 * @param syncNanos get_state (first connection), or the get_difference loop and then the
 *     sync_groups loop (reconnect)
 * @param requests requests sent: authenticate plus get_state, or every get_difference page and
 *     every sync_groups request
 * @param pages get_difference pages
 * @param updates feed updates received by get_difference
 * @param bytes bytes received on the socket until synced
 * @param groupRequests sync_groups requests (none for a device in no group)
 * @param groupEntries group entries received by sync_groups
 */
public record CatchUp(
    long connectNanos,
    long authNanos,
    long syncNanos,
    int requests,
    int pages,
    long updates,
    long bytes,
    int groupRequests,
    long groupEntries) {
  public long totalNanos() {
    return connectNanos + authNanos + syncNanos;
  }
}
