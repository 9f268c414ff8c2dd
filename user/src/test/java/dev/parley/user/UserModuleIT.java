package dev.parley.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.common.bus.LocalDeliveryBus;
import dev.parley.common.id.Snowflake;
import dev.parley.common.ratelimit.LocalRateLimiter;
import dev.parley.proto.client.AuthTokens;
import dev.parley.proto.internal.AuthenticateTokenRequest;
import dev.parley.testkit.PostgresExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Wiring: key handling and configuration checks of UserModule.create. */
class UserModuleIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();

  private static UserModule create(UserConfig config, Path dataDir) {
    Clock clock = Clock.systemUTC();
    return UserModule.create(
        config,
        postgres.database(),
        clock,
        new Snowflake(2, clock),
        new LocalDeliveryBus(),
        new LocalRateLimiter(clock),
        dataDir,
        new SimpleMeterRegistry(),
        BlockList.NONE,
        UserServiceHarness.ACCEPTING_AVATARS,
        false);
  }

  private static UserConfig withKey(String key) {
    UserConfig c = TestConfigs.userConfig();
    return new UserConfig(
        c.accessTokenTtl(),
        c.refreshTokenTtl(),
        c.refreshReuseWindow(),
        key,
        c.password(),
        c.code(),
        c.rateLimits(),
        c.mail(),
        c.sms(),
        c.devCodeFile(),
        c.securityEventRetention());
  }

  @Test
  void generatesTheTokenKeyOnceAndTokensSurviveARestart() throws Exception {
    AuthTokens tokens;
    Path dataDir;
    try (UserServiceHarness first =
        new UserServiceHarness(postgres.database(), TestConfigs.userConfig())) {
      dataDir = first.dataDir;
      tokens = first.registerEmail();
      Path keyFile = first.dataDir.resolve("keys/token.key");
      assertThat(Base64.getDecoder().decode(Files.readString(keyFile).trim())).hasSize(32);
      // A second instance over the same data directory (a restart) accepts the token.
      try (UserModule again = create(TestConfigs.userConfig(), first.dataDir)) {
        assertThat(again.grpcService()).isNotNull();
      }
      assertThat(
              first
                  .anonymous()
                  .authenticate(
                      AuthenticateTokenRequest.newBuilder()
                          .setAccessToken(tokens.getAccessToken())
                          .build())
                  .getUserId())
          .isEqualTo(tokens.getUserId());
    }
    assertThat(dataDir).doesNotExist();
  }

  @Test
  void refusesBadConfiguration(@TempDir Path dataDir) {
    assertThatThrownBy(
            () -> create(withKey(Base64.getEncoder().encodeToString(new byte[16])), dataDir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("user.token-key");
    assertThatThrownBy(() -> create(withKey("not base64!"), dataDir))
        .isInstanceOf(IllegalArgumentException.class);
    UserConfig c = TestConfigs.userConfig();
    UserConfig badMode =
        TestConfigs.withDelivery(
            c,
            new UserConfig.Mail(
                "carrier-pigeon", c.mail().from(), c.mail().subject(), c.mail().smtp()),
            c.sms());
    assertThatThrownBy(() -> create(badMode, dataDir)).hasMessageContaining("user.mail.mode");
    UserConfig noUrl =
        TestConfigs.withDelivery(
            c, c.mail(), new UserConfig.Sms("http", c.sms().http(), c.sms().text()));
    assertThatThrownBy(() -> create(noUrl, dataDir)).hasMessageContaining("user.sms.http.url");
  }

  @Test
  void acceptsAConfiguredKey(@TempDir Path dataDir) {
    try (UserModule module =
        create(withKey(Base64.getEncoder().encodeToString(new byte[32])), dataDir)) {
      assertThat(module.grpcService()).isNotNull();
    }
    assertThat(dataDir.resolve("keys")).doesNotExist();
  }
}
