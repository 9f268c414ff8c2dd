package dev.parley.user;

import dev.parley.common.ratelimit.RateLimiter.Limit;
import java.time.Duration;
import java.util.Map;

/**
 * UserConfig with the defaults of parley-defaults.yaml, except cheap Argon2 and generous rate
 * limits.
 */
public final class TestConfigs {
  public static final Limit UNLIMITED = new Limit(1_000_000, Duration.ofSeconds(1));

  private TestConfigs() {}

  public static UserConfig userConfig() {
    return new UserConfig(
        Duration.ofMinutes(15),
        Duration.ofDays(30),
        Duration.ofSeconds(5),
        "",
        password(),
        new UserConfig.Code(6, Duration.ofMinutes(5), 5, Duration.ofSeconds(60)),
        unlimited(),
        new UserConfig.Mail(
            "log",
            "Parley <no-reply@parley.local>",
            "Your Parley code: {code}",
            new UserConfig.Smtp("localhost", 587, "starttls", "", "", Duration.ofSeconds(10))),
        new UserConfig.Sms(
            "log",
            new UserConfig.Http(
                "",
                Map.of(),
                "application/json",
                "{\"to\":\"{phone}\",\"text\":\"{text}\"}",
                Duration.ofSeconds(10),
                "http/1.1"),
            "Your Parley code is {code}. It expires in {minutes} minutes."),
        "dev-codes.log",
        Duration.ofDays(90));
  }

  /** Argon2id at 1 MiB and one iteration: milliseconds instead of the production ~50 ms. */
  public static UserConfig.Password password() {
    return new UserConfig.Password(8, 128, 1024, 1, 1, 2, 64);
  }

  public static UserConfig.RateLimits unlimited() {
    return new UserConfig.RateLimits(
        UNLIMITED, UNLIMITED, UNLIMITED, UNLIMITED, UNLIMITED, UNLIMITED, UNLIMITED, UNLIMITED,
        UNLIMITED, UNLIMITED);
  }

  public static UserConfig withRateLimits(UserConfig c, UserConfig.RateLimits limits) {
    return new UserConfig(
        c.accessTokenTtl(),
        c.refreshTokenTtl(),
        c.refreshReuseWindow(),
        c.tokenKey(),
        c.password(),
        c.code(),
        limits,
        c.mail(),
        c.sms(),
        c.devCodeFile(),
        c.securityEventRetention());
  }

  public static UserConfig withDelivery(UserConfig c, UserConfig.Mail mail, UserConfig.Sms sms) {
    return new UserConfig(
        c.accessTokenTtl(),
        c.refreshTokenTtl(),
        c.refreshReuseWindow(),
        c.tokenKey(),
        c.password(),
        c.code(),
        c.rateLimits(),
        mail,
        sms,
        c.devCodeFile(),
        c.securityEventRetention());
  }
}
