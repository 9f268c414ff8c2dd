package dev.parley.user;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The user service's meters. Tag values are small fixed sets (never identifiers or ids), so the
 * number of time series stays bounded.
 */
public final class UserMetrics {
  private final MeterRegistry registry;

  public UserMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * A code request: outcome issued, or the refusal's reason in lower case (code_cooldown,
   * rate_limited).
   */
  public void codeRequested(String channel, String outcome) {
    count("parley.user.codes.requested", "channel", channel, "outcome", outcome);
  }

  /** A code delivery: outcome sent, failed, rejected (delivery queue full). */
  public void codeSent(String channel, String outcome) {
    count("parley.user.codes.sent", "channel", channel, "outcome", outcome);
  }

  /** method password or code; outcome success or the error reason in lower case. */
  public void login(String method, String outcome) {
    count("parley.user.logins", "method", method, "outcome", outcome);
  }

  /** outcome success, or the error reason in lower case. */
  public void registration(String outcome) {
    count("parley.user.registrations", "outcome", outcome);
  }

  /** outcome success, repeated (within the reuse window), invalid, reused or rate_limited. */
  public void refresh(String outcome) {
    count("parley.user.refreshes", "outcome", outcome);
  }

  /** A password hash or verification refused because the hashing pool was full. */
  public void passwordHashRejected() {
    count("parley.user.password.hash.rejected");
  }

  public void sessionRevoked(String reason) {
    count("parley.user.sessions.revoked", "reason", reason);
  }

  private void count(String name, String... tags) {
    Counter.builder(name).tags(tags).register(registry).increment();
  }
}
