package dev.parley.user;

import java.time.Duration;
import java.util.Set;

/** Refuses a {@code user:} configuration that would start but misbehave. */
final class UserConfigCheck {
  private UserConfigCheck() {}

  static void verify(UserConfig c) {
    positive(c.accessTokenTtl(), "user.access-token-ttl");
    positive(c.refreshTokenTtl(), "user.refresh-token-ttl");
    require(
        c.refreshReuseWindow() != null && !c.refreshReuseWindow().isNegative(),
        "user.refresh-reuse-window must not be negative");
    positive(c.securityEventRetention(), "user.security-event-retention");
    UserConfig.Password p = c.password();
    require(
        p.minLength() >= 1 && p.minLength() <= p.maxLength(),
        "user.password: need 1 <= min-length <= max-length");
    require(p.maxLength() <= 1024, "user.password.max-length must be at most 1024");
    require(
        p.memoryKib() >= 8 * p.parallelism(),
        "user.password.memory-kib must be at least 8 x parallelism");
    require(
        p.iterations() >= 1 && p.parallelism() >= 1,
        "user.password: iterations and parallelism must be >= 1");
    require(
        p.hashThreads() >= 1 && p.hashQueue() >= 0,
        "user.password: need hash-threads >= 1 and hash-queue >= 0");
    UserConfig.Code code = c.code();
    require(code.length() >= 4 && code.length() <= 10, "user.code.length must be 4..10");
    require(code.maxAttempts() >= 1, "user.code.max-attempts must be >= 1");
    positive(code.ttl(), "user.code.ttl");
    require(!code.resendCooldown().isNegative(), "user.code.resend-cooldown must not be negative");
    require(Set.of("log", "smtp").contains(c.mail().mode()), "user.mail.mode must be log or smtp");
    require(Set.of("log", "http").contains(c.sms().mode()), "user.sms.mode must be log or http");
    if ("smtp".equals(c.mail().mode())) {
      require(
          Set.of("none", "starttls", "tls").contains(c.mail().smtp().security()),
          "user.mail.smtp.security must be none, starttls or tls");
      require(!c.mail().smtp().host().isBlank(), "user.mail.smtp.host is required");
      positive(c.mail().smtp().timeout(), "user.mail.smtp.timeout");
    }
    if ("http".equals(c.sms().mode())) {
      require(
          !c.sms().http().url().isBlank(),
          "user.sms.http.url is required when user.sms.mode is http");
      positive(c.sms().http().timeout(), "user.sms.http.timeout");
      require(
          Set.of("http/1.1", "http/2").contains(c.sms().http().version()),
          "user.sms.http.version must be http/1.1 or http/2");
    }
  }

  private static void positive(Duration d, String key) {
    require(d != null && !d.isNegative() && !d.isZero(), key + " must be positive");
  }

  private static void require(boolean ok, String message) {
    if (!ok) throw new IllegalArgumentException(message);
  }
}
