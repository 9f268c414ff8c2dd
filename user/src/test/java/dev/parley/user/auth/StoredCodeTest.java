package dev.parley.user.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.user.auth.StoredCode.Check;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The code rules, with time under the test's control. */
class StoredCodeTest {
  private static final Instant CREATED = Instant.parse("2026-01-01T12:00:00Z");
  private static final byte[] RIGHT = new byte[32];
  private static final byte[] WRONG = filled(1);

  private static byte[] filled(int b) {
    byte[] a = new byte[32];
    java.util.Arrays.fill(a, (byte) b);
    return a;
  }

  private static StoredCode code(int attempts) {
    return new StoredCode(
        "a@example.com", RIGHT, CREATED, CREATED.plus(Duration.ofMinutes(5)), attempts);
  }

  @Test
  void rightCodeWithinItsLifetime() {
    assertThat(code(0).check(RIGHT, CREATED, 5)).isEqualTo(Check.OK);
    assertThat(code(4).check(RIGHT, CREATED.plus(Duration.ofMinutes(5)).minusMillis(1), 5))
        .isEqualTo(Check.OK);
  }

  @Test
  void expiresAtTheEndOfItsLifetime() {
    assertThat(code(0).check(RIGHT, CREATED.plus(Duration.ofMinutes(5)), 5))
        .isEqualTo(Check.EXPIRED);
    assertThat(code(0).check(WRONG, CREATED.plus(Duration.ofHours(1)), 5)).isEqualTo(Check.EXPIRED);
  }

  @Test
  void wrongTriesUntilTheLastOneKillsTheCode() {
    for (int attempts = 0; attempts < 4; attempts++) {
      assertThat(code(attempts).check(WRONG, CREATED, 5)).isEqualTo(Check.WRONG);
    }
    assertThat(code(4).check(WRONG, CREATED, 5)).isEqualTo(Check.EXHAUSTED);
    assertThat(code(5).check(RIGHT, CREATED, 5)).isEqualTo(Check.EXHAUSTED);
    assertThat(code(5).check(RIGHT, CREATED.plus(Duration.ofHours(1)), 5))
        .isEqualTo(Check.EXHAUSTED);
  }

  @Test
  void singleTryAllowed() {
    assertThat(code(0).check(WRONG, CREATED, 1)).isEqualTo(Check.EXHAUSTED);
    assertThat(code(0).check(RIGHT, CREATED, 1)).isEqualTo(Check.OK);
  }

  @Test
  void cooldownCountsFromCreation() {
    Duration cooldown = Duration.ofSeconds(60);
    assertThat(code(0).cooldownLeft(CREATED, cooldown)).isEqualTo(cooldown);
    assertThat(code(0).cooldownLeft(CREATED.plusSeconds(45), cooldown))
        .isEqualTo(Duration.ofSeconds(15));
    assertThat(code(0).cooldownLeft(CREATED.plusSeconds(60), cooldown)).isZero();
    assertThat(code(0).cooldownLeft(CREATED.plusSeconds(600), cooldown)).isZero();
  }
}
