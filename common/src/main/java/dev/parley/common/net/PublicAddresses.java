package dev.parley.common.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which addresses are on the public internet. Used where a client gives the server a URL to call
 * (Web Push subscription endpoints): without this check a client could make the server send
 * requests to its own loopback, to the cluster's private network or to a cloud metadata service
 * (server-side request forgery).
 *
 * <p>Public means: not unspecified, loopback, link-local, private (RFC 1918, RFC 4193), shared (RFC
 * 6598, carrier-grade NAT), multicast, documentation, benchmarking or reserved, per the IANA
 * special-purpose registries. IPv6 is public only inside global unicast (2000::/3), and addresses
 * that embed an IPv4 address (IPv4-mapped, NAT64, 6to4) are judged by the embedded one.
 */
public final class PublicAddresses {
  private PublicAddresses() {}

  public static boolean isPublic(InetAddress address) {
    byte[] b = address.getAddress();
    return address instanceof Inet4Address ? isPublicV4(b, 0) : isPublicV6(b);
  }

  /**
   * The address a URL host names without a DNS lookup: an IP literal ({@code 10.0.0.1}, {@code
   * [::1]}), or loopback for {@code localhost} and its subdomains (RFC 6761 reserves them for
   * loopback); empty for any other name, whose addresses only a lookup can tell.
   */
  public static Optional<InetAddress> literal(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
    if (h.equals("localhost") || h.endsWith(".localhost"))
      return Optional.of(InetAddress.getLoopbackAddress());
    try {
      // A bracketed IPv6 literal is parsed by the JDK without a lookup (and refused if malformed).
      if (h.startsWith("[") && h.endsWith("]")) return Optional.of(InetAddress.getByName(h));
      byte[] v4 = ipv4(h);
      return v4 == null ? Optional.empty() : Optional.of(InetAddress.getByAddress(v4));
    } catch (UnknownHostException notALiteral) {
      return Optional.empty();
    }
  }

  /**
   * The IPv4 literal forms the JDK's resolver accepts (and so the HTTP client would connect to):
   * {@code a.b.c.d}, {@code a.b.c} and {@code a.b} with the last part filling the remaining bytes,
   * and a single 32-bit number; decimal only. Null for anything else.
   */
  private static byte @Nullable [] ipv4(String h) {
    if (h.isEmpty() || !h.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) return null;
    String[] parts = h.split("\\.", -1);
    if (parts.length > 4) return null;
    long[] values = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].isEmpty() || parts[i].length() > 10) return null;
      values[i] = Long.parseLong(parts[i]);
      if (i < parts.length - 1 && values[i] > 255) return null;
    }
    int tailBytes = 5 - parts.length;
    if (values[parts.length - 1] >= 1L << (8 * tailBytes)) return null;
    byte[] b = new byte[4];
    for (int i = 0; i < parts.length - 1; i++) b[i] = (byte) values[i];
    long tail = values[parts.length - 1];
    for (int i = 3; i >= parts.length - 1; i--) {
      b[i] = (byte) tail;
      tail >>= 8;
    }
    return b;
  }

  private static boolean isPublicV4(byte[] b, int at) {
    int a0 = b[at] & 0xff;
    int a1 = b[at + 1] & 0xff;
    int a2 = b[at + 2] & 0xff;
    return !(a0 == 0 // "this network", 0.0.0.0
        || a0 == 10 // RFC 1918
        || (a0 == 100 && a1 >= 64 && a1 < 128) // RFC 6598 shared (carrier-grade NAT)
        || a0 == 127 // loopback
        || (a0 == 169 && a1 == 254) // link-local (cloud metadata services live here)
        || (a0 == 172 && a1 >= 16 && a1 < 32) // RFC 1918
        || (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2)) // IETF assignments, TEST-NET-1
        || (a0 == 192 && a1 == 88 && a2 == 99) // 6to4 relay anycast
        || (a0 == 192 && a1 == 168) // RFC 1918
        || (a0 == 198 && (a1 == 18 || a1 == 19)) // benchmarking
        || (a0 == 198 && a1 == 51 && a2 == 100) // TEST-NET-2
        || (a0 == 203 && a1 == 0 && a2 == 113) // TEST-NET-3
        || a0 >= 224); // multicast, reserved, broadcast
  }

  private static boolean isPublicV6(byte[] b) {
    if (zeros(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      return isPublicV4(b, 12); // ::ffff:a.b.c.d, IPv4-mapped
    }
    if (b[0] == 0x00 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
      return zeros(b, 4, 12) && isPublicV4(b, 12); // 64:ff9b::/96, NAT64
    }
    if (b[0] == 0x20 && b[1] == 0x02) return isPublicV4(b, 2); // 2002::/16, 6to4
    if ((b[0] & 0xe0) != 0x20) return false; // outside global unicast: ::1, fc00::/7, fe80::/10 ...
    if (b[0] == 0x20 && b[1] == 0x01) {
      int third = b[2] & 0xff;
      int fourth = b[3] & 0xff;
      if (third < 0x02) return false; // 2001::/23, IETF assignments (Teredo, ORCHID, ...)
      if (third == 0x0d && fourth == 0xb8) return false; // 2001:db8::/32, documentation
    }
    return true;
  }

  /** Whether bytes {@code from} .. {@code to - 1} are zero. */
  private static boolean zeros(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) if (b[i] != 0) return false;
    return true;
  }
}
