package dev.parley.gateway.ws;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Which browser pages may open a WebSocket (the defence against cross-site WebSocket hijacking: a
 * browser attaches no credentials we rely on, but a page on another site must still not drive a
 * user's session). Decided on the Origin header before the handshake:
 *
 * <ul>
 *   <li>no Origin header: allowed (native apps and tools send none; browsers always send one);
 *   <li>the Origin's host[:port] equals the Host header: allowed (the page was served by us);
 *   <li>the configured list contains "*": everything is allowed;
 *   <li>the configured list contains the Origin (scheme://host[:port], case-insensitive): allowed;
 *   <li>anything else, including the opaque {@code Origin: null}: refused.
 * </ul>
 */
public final class OriginPolicy {
  private final boolean any;
  private final Set<String> allowed;

  public OriginPolicy(List<String> allowedOrigins) {
    this.any = allowedOrigins.contains("*");
    this.allowed = allowedOrigins.stream().map(OriginPolicy::normalize).collect(Collectors.toSet());
  }

  public boolean allows(@Nullable String origin, @Nullable String host) {
    if (origin == null || any) return true;
    String o = normalize(origin);
    if (allowed.contains(o)) return true;
    return host != null && host.equalsIgnoreCase(authority(o));
  }

  private static @Nullable String authority(String origin) {
    try {
      return URI.create(origin).getRawAuthority();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String normalize(String origin) {
    String o = origin.trim().toLowerCase(Locale.ROOT);
    return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
  }
}
