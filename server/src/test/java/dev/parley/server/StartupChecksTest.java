package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupChecksTest {
  private static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

  @TempDir Path dir;

  private ParleyConfig load(String yaml) throws IOException {
    Path file = Files.writeString(dir.resolve("parley.yaml"), yaml);
    return ParleyConfig.load(file, Map.of(), Map.of());
  }

  private static String production(String msgSection) {
    return """
        node:
          environment: production
        user:
          token-key: "%s"
          mail:
            mode: smtp
        %s
        """
        .formatted(KEY, msgSection);
  }

  @Test
  void productionRefusesAGeneratedContentKey() throws IOException {
    ParleyConfig config = load(production(""));
    assertThatThrownBy(() -> StartupChecks.verify(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("msg.content-keys");
  }

  @Test
  void productionStartsWithConfiguredKeys() throws IOException {
    ParleyConfig config = load(production("msg:\n  content-keys:\n    \"1\": \"" + KEY + "\"\n"));
    assertThatCode(() -> StartupChecks.verify(config)).doesNotThrowAnyException();
  }

  @Test
  void productionStillRefusesAGeneratedTokenKey() throws IOException {
    ParleyConfig config = load("node:\n  environment: production\n");
    assertThatThrownBy(() -> StartupChecks.verify(config)).hasMessageContaining("user.token-key");
  }

  @Test
  void developmentGeneratesKeys() throws IOException {
    ParleyConfig config = load("node:\n  environment: development\n");
    assertThatCode(() -> StartupChecks.verify(config)).doesNotThrowAnyException();
  }
}
