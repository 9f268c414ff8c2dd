package dev.parley.user;

import dev.parley.common.ratelimit.RateLimiter.Limit;
import java.time.Duration;
import java.util.Map;

/** The {@code user} section of the configuration; see parley-defaults.yaml for each key. */
public record UserConfig(
    Duration accessTokenTtl,
    Duration refreshTokenTtl,
    Duration refreshReuseWindow,
    String tokenKey,
    Password password,
    Code code,
    RateLimits rateLimits,
    Mail mail,
    Sms sms,
    String devCodeFile,
    Duration securityEventRetention) {

  /**
   * @param hashThreads Argon2 computations that may run at once (each holds memory-kib of memory)
   * @param hashQueue computations that may wait for a thread; beyond that a request is refused at
   *     once
   */
  public record Password(
      int minLength,
      int maxLength,
      int memoryKib,
      int iterations,
      int parallelism,
      int hashThreads,
      int hashQueue) {}

  public record Code(int length, Duration ttl, int maxAttempts, Duration resendCooldown) {}

  public record RateLimits(
      Limit codePerIdentifier,
      Limit codePerIp,
      Limit loginPerIdentifier,
      Limit loginPerIp,
      Limit registerPerIp,
      Limit refreshPerSession,
      Limit lookupPerUser,
      Limit passwordChangePerUser,
      Limit passwordChangePerSession,
      Limit profileMissesPerUser) {}

  public record Mail(String mode, String from, String subject, Smtp smtp) {}

  public record Smtp(
      String host, int port, String security, String username, String password, Duration timeout) {}

  public record Sms(String mode, Http http, String text) {}

  /**
   * @param version http/1.1 (default) or http/2
   */
  public record Http(
      String url,
      Map<String, String> headers,
      String contentType,
      String bodyTemplate,
      Duration timeout,
      String version) {}
}
