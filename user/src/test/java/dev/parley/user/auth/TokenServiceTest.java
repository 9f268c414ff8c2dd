package dev.parley.user.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.user.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenServiceTest {
  private final byte[] master = "0123456789abcdef0123456789abcdef".getBytes();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final TokenService tokens =
      new TokenService(
          KeyDerivation.derive(master, "parley access token"), clock, Duration.ofMinutes(15));

  @Test
  void accessTokenCarriesSessionUserAndExpiry() {
    TokenService.AccessToken t = tokens.issueAccess(42L, 7L);
    assertThat(t.token()).hasSize(TokenService.ACCESS_TOKEN_LENGTH).matches("[A-Za-z0-9_-]+");
    assertThat(t.expiresAt()).isEqualTo(Instant.parse("2026-01-01T00:15:00Z"));
    var claims = tokens.verifyAccess(t.token()).orElseThrow();
    assertThat(claims.sessionId()).isEqualTo(42L);
    assertThat(claims.userId()).isEqualTo(7L);
    assertThat(claims.expiresAt()).isEqualTo(t.expiresAt());
  }

  @Test
  void accessTokenExpires() {
    String t = tokens.issueAccess(1, 2).token();
    clock.advance(Duration.ofMinutes(15).minusMillis(1));
    assertThat(tokens.verifyAccess(t)).isPresent();
    clock.advance(Duration.ofMillis(1));
    assertThat(tokens.verifyAccess(t)).isEmpty();
  }

  @Test
  void anyChangedByteIsRejected() {
    byte[] raw = Base64.getUrlDecoder().decode(tokens.issueAccess(1, 2).token());
    for (int i = 0; i < raw.length; i++) {
      byte[] tampered = raw.clone();
      tampered[i] ^= 0x01;
      assertThat(
              tokens.verifyAccess(Base64.getUrlEncoder().withoutPadding().encodeToString(tampered)))
          .as("byte " + i)
          .isEmpty();
    }
  }

  @Test
  void tokenOfAnotherKeyIsRejected() {
    TokenService other =
        new TokenService(
            KeyDerivation.derive(master, "another purpose"), clock, Duration.ofMinutes(15));
    assertThat(tokens.verifyAccess(other.issueAccess(1, 2).token())).isEmpty();
  }

  @Test
  void malformedTokensAreRejected() {
    String good = tokens.issueAccess(1, 2).token();
    assertThat(tokens.verifyAccess(null)).isEmpty();
    assertThat(tokens.verifyAccess("")).isEmpty();
    assertThat(tokens.verifyAccess(good.substring(1))).isEmpty();
    assertThat(tokens.verifyAccess(good + "A")).isEmpty();
    assertThat(tokens.verifyAccess("!" + good.substring(1))).isEmpty();
    assertThat(tokens.verifyAccess("+" + good.substring(1))).isEmpty();
  }

  @Test
  void refreshTokensAreRandomUrlSafeAndHashedTo32Bytes() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      String t = tokens.newRefreshToken();
      assertThat(t).hasSize(43).matches("[A-Za-z0-9_-]+");
      assertThat(Base64.getUrlDecoder().decode(t)).hasSize(32);
      assertThat(seen.add(t)).isTrue();
    }
    String t = tokens.newRefreshToken();
    assertThat(TokenService.refreshTokenHash(t))
        .hasSize(32)
        .isEqualTo(TokenService.refreshTokenHash(t));
  }

  @Test
  void derivedKeysDifferPerPurpose() {
    assertThat(KeyDerivation.derive(master, "a"))
        .hasSize(32)
        .isNotEqualTo(KeyDerivation.derive(master, "b"));
  }
}
