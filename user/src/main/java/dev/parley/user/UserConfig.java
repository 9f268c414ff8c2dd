package dev.parley.user;

import dev.parley.common.ratelimit.RateLimiter.Limit;
import java.time.Duration;
import java.util.Map;

/** The {@code user} section of the configuration; see parley-defaults.yaml for each key. */
public record UserConfig(
    Duration accessTokenTtl,
    Duration refreshTokenTtl,
    String tokenKey,
    Password password,
    Code code,
    RateLimits rateLimits,
    Mail mail,
    Sms sms,
    String devCodeFile) {

  public record Password(int minLength, int maxLength, int memoryKib, int iterations, int parallelism) {}

  public record Code(int length, Duration ttl, int maxAttempts, Duration resendCooldown) {}

  public record RateLimits(
      Limit codePerIdentifier,
      Limit codePerIp,
      Limit loginPerIdentifier,
      Limit loginPerIp,
      Limit registerPerIp,
      Limit refreshPerSession,
      Limit lookupPerUser) {}

  public record Mail(String mode, String from, String subject, Smtp smtp) {}

  public record Smtp(String host, int port, String security, String username, String password, Duration timeout) {}

  public record Sms(String mode, Http http, String text) {}

  public record Http(String url, Map<String, String> headers, String contentType, String bodyTemplate, Duration timeout) {}
}
