package dev.parley.client;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/** What {@link ParleyClient.Builder} collects; shared by the client's connections. */
record ClientSettings(
    Endpoints endpoints,
    Encoding encoding,
    Duration requestTimeout,
    Duration connectTimeout,
    Duration pingInterval,
    Duration backoffBase,
    Duration backoffMax,
    Duration backoffResetAfter,
    Clock clock) {

  URI baseUri() {
    return endpoints.base();
  }

  URI webSocketUri() {
    return endpoints.webSocket();
  }
}
