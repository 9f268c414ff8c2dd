package dev.parley.common.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.common.error.ParleyException;
import dev.parley.proto.client.Error.Reason;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisConfigTest {
  @Test
  void defaults() {
    RedisConfig c = RedisConfig.of("redis://127.0.0.1:6379");
    assertThat(c.keyPrefix()).isEqualTo("parley:");
    assertThat(c.commandTimeout()).isEqualTo(Duration.ofSeconds(1));
    PresenceConfig p = PresenceConfig.of("gw-1", "10.0.0.5:9100");
    assertThat(p.ttl()).isEqualTo(Duration.ofSeconds(45));
    assertThat(p.refreshInterval()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void rejectsWhatCannotWork() {
    assertThatThrownBy(() -> RedisConfig.of(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new RedisConfig(
                    "redis://h", Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1), null))
        .isInstanceOf(IllegalArgumentException.class);
    // A '|' would break the "<gateway>|<expiry>" entries.
    assertThatThrownBy(() -> PresenceConfig.of("gw|1", "h:1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PresenceConfig.of("gw-1", ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new PresenceConfig("gw-1", "h:1", Duration.ofSeconds(10), Duration.ofSeconds(10)))
        .hasMessageContaining("below the ttl");
  }

  @Test
  void aRedisThatIsDownAtStartIsAClearError() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // free, and nothing listens once closed
    }
    String uri = "redis://:secret@127.0.0.1:" + port;
    assertThatThrownBy(() -> RedisClients.connect(RedisConfig.of(uri)))
        .isInstanceOfSatisfying(
            ParleyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE))
        .hasMessageContaining("127.0.0.1:" + port)
        .hasMessageNotContaining("secret");
  }
}
