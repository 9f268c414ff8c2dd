package dev.parley.push.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.config.ConfigLoader;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The configuration records bind from the YAML the push role will ship, with the operator's secrets
 * from environment variables: the key names documented in docs/operations.md are real.
 */
class PushProvidersConfigTest {
  private static PushProvidersConfig load(Map<String, String> env) {
    return ConfigLoader.bind(
        ConfigLoader.load("push-providers-defaults.yaml", null, env, Map.of())
            .path("push")
            .path("providers"),
        PushProvidersConfig.class);
  }

  @Test
  void defaultsPointAtTheRealServicesWithEverythingOff() {
    PushProvidersConfig c = load(Map.of());
    assertThat(c.fcm().enabled()).isFalse();
    assertThat(c.fcm().baseUrl()).isEqualTo("https://fcm.googleapis.com");
    assertThat(c.apns().productionHost()).isEqualTo("api.push.apple.com");
    assertThat(c.apns().sandboxHost()).isEqualTo("api.sandbox.push.apple.com");
    assertThat(c.webPush().timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.webPush().allowHttpEndpoints()).isFalse();
    assertThat(c.webPush().allowPrivateEndpoints()).isFalse();
  }

  @Test
  void secretsAndEndpointsComeFromTheEnvironment() {
    PushProvidersConfig c =
        load(
            Map.of(
                "PARLEY_PUSH_PROVIDERS_FCM_ENABLED", "true",
                "PARLEY_PUSH_PROVIDERS_FCM_CREDENTIALS_FILE", "/run/secrets/fcm.json",
                "PARLEY_PUSH_PROVIDERS_APNS_SIGNING_KEY_FILE", "/run/secrets/AuthKey_ABC.p8",
                "PARLEY_PUSH_PROVIDERS_APNS_KEY_ID", "ABC1234567",
                "PARLEY_PUSH_PROVIDERS_WEB_PUSH_PRIVATE_KEY", "secret",
                "PARLEY_PUSH_PROVIDERS_WEB_PUSH_MAX_IN_FLIGHT", "8"));
    assertThat(c.fcm().enabled()).isTrue();
    assertThat(c.fcm().credentialsFile()).isEqualTo("/run/secrets/fcm.json");
    assertThat(c.apns().signingKeyFile()).isEqualTo("/run/secrets/AuthKey_ABC.p8");
    assertThat(c.apns().keyId()).isEqualTo("ABC1234567");
    assertThat(c.webPush().privateKey()).isEqualTo("secret");
    assertThat(c.webPush().maxInFlight()).isEqualTo(8);
  }
}
