package dev.parley.push.provider.webpush;

import dev.parley.common.net.PublicAddresses;
import dev.parley.push.provider.PushOutcome;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.jspecify.annotations.Nullable;

/**
 * The send-time half of the Web Push SSRF guard: a subscription endpoint comes from a client, and
 * registration can only refuse IP literals, since what a name resolves to can change at any time.
 * So before each send the endpoint's host is resolved and every address must be public ({@link
 * PublicAddresses}); otherwise the notification is a permanent failure and nothing is sent.
 *
 * <p>Limit: the HTTP client resolves the name again when it connects, so a name whose answers
 * alternate quickly between a public and a private address (DNS rebinding) could slip between the
 * two lookups. The JDK's client cannot be handed the checked address; a firewall rule that denies
 * the push role's egress to private ranges closes that gap (operations.md).
 */
final class EndpointAddresses {
  private EndpointAddresses() {}

  /** Why this host must not be sent to, or null when all its addresses are public. */
  static @Nullable PushOutcome refusal(String host) {
    InetAddress[] addresses;
    try {
      // An IP literal (bracketed for IPv6, as URI.getHost gives it) is parsed, not looked up.
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      // Possibly a passing DNS failure: the caller's back-off applies, and the job's TTL ends it.
      return new PushOutcome.RetryLater(null, "endpoint-unresolved");
    }
    for (InetAddress address : addresses) {
      if (!PublicAddresses.isPublic(address)) {
        return new PushOutcome.PermanentFailure("endpoint-not-public");
      }
    }
    return null;
  }
}
