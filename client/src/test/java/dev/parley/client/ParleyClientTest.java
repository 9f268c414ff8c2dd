package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class ParleyClientTest {

  @Test
  void webSocketUriFollowsTheBaseUrl() {
    try (ParleyClient plain = ParleyClient.builder(URI.create("http://127.0.0.1:8080")).build();
        ParleyClient tls =
            ParleyClient.builder(URI.create("https://chat.example.org:8443/parley/")).build()) {
      assertThat(plain.webSocketUri()).isEqualTo(URI.create("ws://127.0.0.1:8080/ws"));
      assertThat(tls.webSocketUri()).isEqualTo(URI.create("wss://chat.example.org:8443/parley/ws"));
    }
  }

  @Test
  void rejectsBaseUrlsThatAreNotHttp() {
    assertThatThrownBy(() -> ParleyClient.builder(URI.create("ws://127.0.0.1:8080")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ParleyClient.builder(URI.create("http://127.0.0.1:8080/?x=1")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
