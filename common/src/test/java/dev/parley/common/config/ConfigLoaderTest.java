package dev.parley.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  record Gateway(
      int port, int maxFrameBytes, Duration heartbeatInterval, List<String> allowedOrigins) {}

  record Code(Duration ttl) {}

  record User(Code code, Map<String, String> headers) {}

  record Root(Gateway gateway, User user) {}

  @TempDir Path dir;

  private Root load(Path file, Map<String, String> env, Map<String, String> props) {
    return ConfigLoader.bind(ConfigLoader.load("test-defaults.yaml", file, env, props), Root.class);
  }

  @Test
  void defaultsBindToRecordsWithKebabCaseKeys() {
    Root root = load(null, Map.of(), Map.of());
    assertThat(root.gateway().port()).isEqualTo(8080);
    assertThat(root.gateway().maxFrameBytes()).isEqualTo(65536);
    assertThat(root.gateway().heartbeatInterval()).isEqualTo(Duration.ofSeconds(25));
    assertThat(root.user().code().ttl()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void fileThenEnvironmentThenPropertiesWin() throws Exception {
    Path file = dir.resolve("p.yaml");
    Files.writeString(file, "gateway:\n  port: 9000\n  max-frame-bytes: 1000\n");
    Root root =
        load(
            file,
            Map.of(
                "PARLEY_GATEWAY_MAX_FRAME_BYTES",
                "2000",
                "PARLEY_USER_CODE_TTL",
                "90s",
                "HOME",
                "/root"),
            Map.of("parley.gateway.port", "0"));
    assertThat(root.gateway().port()).isZero();
    assertThat(root.gateway().maxFrameBytes()).isEqualTo(2000);
    assertThat(root.user().code().ttl()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void listsFromTheEnvironmentAreCommaSeparated() {
    Root root =
        load(
            null,
            Map.of("PARLEY_GATEWAY_ALLOWED_ORIGINS", "https://a.example, https://b.example"),
            Map.of());
    assertThat(root.gateway().allowedOrigins())
        .containsExactly("https://a.example", "https://b.example");
  }

  @Test
  void unknownKeysAreAnErrorNotSilentlyIgnored() throws Exception {
    Path file = dir.resolve("typo.yaml");
    Files.writeString(file, "gateway:\n  prot: 9000\n");
    assertThatThrownBy(() -> load(file, Map.of(), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prot");
  }

  @Test
  void durationsAcceptUnitsAndIso() {
    assertThat(ConfigLoader.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(ConfigLoader.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(ConfigLoader.parseDuration("30d")).isEqualTo(Duration.ofDays(30));
    assertThat(ConfigLoader.parseDuration("PT10S")).isEqualTo(Duration.ofSeconds(10));
    assertThatThrownBy(() -> ConfigLoader.parseDuration("10 parsecs"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void environmentVariablesThatNameNoKeyAreSkippedNotFatal() {
    Root root =
        load(
            null,
            Map.of(
                "PARLEY_SERVER",
                "http://x",
                "PARLEY_GATEWAY_NO_SUCH_KEY",
                "1",
                "PARLEY_GATEWAY_PORT",
                "7"),
            Map.of());
    assertThat(root.gateway().port()).isEqualTo(7);
  }

  @Test
  void theCommandLineClientsVariablesAreNotMistakenForServerKeys() {
    // Exported for ./parley cli in the same shell that starts servers: no key, and no warning
    // either.
    assertThat(ConfigLoader.OTHER_PROGRAMS_VARIABLES).contains("PARLEY_SERVER", "PARLEY_CLI_HOME");
    Root root =
        load(null, Map.of("PARLEY_SERVER", "http://x", "PARLEY_CLI_HOME", "/tmp/p"), Map.of());
    assertThat(root.gateway().port()).isEqualTo(8080);
  }

  @Test
  void freeFormMapsAcceptNewKeysFromTheEnvironment() {
    var tree =
        ConfigLoader.load(
            "test-defaults.yaml",
            null,
            Map.of("PARLEY_USER_HEADERS_AUTHORIZATION", "Bearer x"),
            Map.of());
    assertThat(tree.at("/user/headers/authorization").asText()).isEqualTo("Bearer x");
  }
}
