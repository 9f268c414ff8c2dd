package dev.parley.gateway.net;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * How many TCP connections the gateway holds, in total and per client IP, counted from the moment a
 * socket is accepted (not from the WebSocket upgrade): every open socket costs a file descriptor
 * and buffers whether or not it ever completes a request, so half-open and slow connections must
 * count too, or a few thousand of them exhaust the process.
 *
 * <p>Thread-safe: every event loop admits and releases. Invariant: the per-IP map holds only IPs
 * with at least one connection (an entry is removed when its count returns to 0), so its size is
 * bounded by the total.
 */
public final class ConnectionLimits {
  /** Why a connection was refused; the name is the metric tag. */
  public enum Refusal {
    MAX_CONNECTIONS("max-connections"),
    MAX_CONNECTIONS_PER_IP("max-connections-per-ip");

    private final String tag;

    Refusal(String tag) {
      this.tag = tag;
    }

    public String tag() {
      return tag;
    }
  }

  private final int max;
  private final int maxPerIp;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentHashMap<String, Integer> perIp = new ConcurrentHashMap<>();

  /**
   * @param max connections in total
   * @param maxPerIp connections from one IP address; 0 = no per-IP limit
   */
  public ConnectionLimits(int max, int maxPerIp) {
    this.max = max;
    this.maxPerIp = maxPerIp;
  }

  /**
   * Counts a new connection from {@code ip}, or refuses it. An admitted connection must be {@link
   * #release}d exactly once, when it closes.
   *
   * @return null if admitted, else why not
   */
  public @Nullable Refusal admit(String ip) {
    if (total.incrementAndGet() > max) {
      total.decrementAndGet();
      return Refusal.MAX_CONNECTIONS;
    }
    if (maxPerIp <= 0) return null;
    boolean[] admitted = {false};
    perIp.compute(
        ip,
        (k, n) -> {
          int held = n == null ? 0 : n;
          if (held >= maxPerIp) return n;
          admitted[0] = true;
          return held + 1;
        });
    if (admitted[0]) return null;
    total.decrementAndGet();
    return Refusal.MAX_CONNECTIONS_PER_IP;
  }

  /** Gives back the slot of an admitted connection from {@code ip}. */
  public void release(String ip) {
    total.decrementAndGet();
    if (maxPerIp > 0) perIp.computeIfPresent(ip, (k, n) -> n <= 1 ? null : n - 1);
  }

  /** Connections admitted and not yet released. */
  public int open() {
    return total.get();
  }

  /** Connections admitted from {@code ip} (0 when per-IP counting is off). */
  public int openFrom(String ip) {
    return perIp.getOrDefault(ip, 0);
  }
}
