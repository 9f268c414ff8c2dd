package dev.parley.common.redis;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * How one gateway appears in {@link RedisPresence}.
 *
 * @param gatewayId unique per gateway process and stable for its life (letters, digits, {@code . _
 *     : -}); it is what presence entries name
 * @param address host:port of the gateway's internal endpoint, where the dispatcher hands it
 *     deliveries
 * @param ttl how long an entry (and the address) lives without being refreshed: a gateway that dies
 *     without cleaning up is forgotten within this
 * @param refreshInterval how often the gateway re-asserts everything; below {@code ttl}, ideally a
 *     third of it so that one slow or failed refresh does not drop anyone
 */
public record PresenceConfig(
    String gatewayId, String address, Duration ttl, Duration refreshInterval) {
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(45);
  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(15);

  /** Gateway ids go into hash values as {@code <id>|<expiry>}, so they must not hold a '|'. */
  private static final Pattern GATEWAY_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

  public PresenceConfig {
    if (gatewayId == null || !GATEWAY_ID.matcher(gatewayId).matches()) {
      throw new IllegalArgumentException(
          "gateway id must be 1-100 letters, digits, '.', '_', ':' or '-': " + gatewayId);
    }
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException("the gateway's advertised address must be set");
    }
    if (ttl == null || ttl.toMillis() < 1)
      throw new IllegalArgumentException("presence ttl must be >= 1 ms");
    if (refreshInterval == null
        || refreshInterval.toMillis() < 1
        || refreshInterval.compareTo(ttl) >= 0) {
      throw new IllegalArgumentException(
          "presence refresh-interval ("
              + refreshInterval
              + ") must be > 0 and below the ttl ("
              + ttl
              + ")");
    }
  }

  /** With the default TTL (45 s) and refresh interval (15 s). */
  public static PresenceConfig of(String gatewayId, String address) {
    return new PresenceConfig(gatewayId, address, DEFAULT_TTL, DEFAULT_REFRESH_INTERVAL);
  }
}
