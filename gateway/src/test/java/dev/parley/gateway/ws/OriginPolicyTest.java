package dev.parley.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OriginPolicyTest {
  @Test
  void emptyListAllowsNoOriginAndTheSameHostOnly() {
    OriginPolicy p = new OriginPolicy(List.of());
    assertThat(p.allows(null, "chat.example.com")).isTrue();
    assertThat(p.allows("https://chat.example.com", "chat.example.com")).isTrue();
    assertThat(p.allows("http://localhost:8080", "LOCALHOST:8080")).isTrue();
    assertThat(p.allows("http://localhost:8081", "localhost:8080")).isFalse();
    assertThat(p.allows("https://evil.example", "chat.example.com")).isFalse();
    assertThat(p.allows("null", "chat.example.com")).isFalse();
    assertThat(p.allows("https://chat.example.com", null)).isFalse();
    assertThat(p.allows("::not a uri::", "chat.example.com")).isFalse();
  }

  @Test
  void listedOriginsAndWildcard() {
    OriginPolicy listed = new OriginPolicy(List.of("https://App.example.com/"));
    assertThat(listed.allows("https://app.example.com", "api.example.com")).isTrue();
    assertThat(listed.allows("http://app.example.com", "api.example.com")).isFalse();
    assertThat(listed.allows("https://api.example.com", "api.example.com")).isTrue();

    OriginPolicy any = new OriginPolicy(List.of("*"));
    assertThat(any.allows("https://anything.example", "api.example.com")).isTrue();
    assertThat(any.allows("null", "api.example.com")).isTrue();
  }
}
