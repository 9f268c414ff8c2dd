package dev.parley.file.store;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * An HTTP request anyone may send until {@code expiresAt}: the method, the URL (signature in the
 * query) and the headers that were signed, which the sender must send exactly.
 */
public record PresignedUrl(String method, URI url, Map<String, String> headers, Instant expiresAt) {
  public PresignedUrl {
    headers = Map.copyOf(headers);
  }
}
