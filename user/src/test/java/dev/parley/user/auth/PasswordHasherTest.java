package dev.parley.user.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.parley.common.error.ParleyException;
import dev.parley.proto.client.Error.Reason;
import dev.parley.user.TestConfigs;
import dev.parley.user.UserConfig;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  private final PasswordHasher hasher =
      new PasswordHasher(TestConfigs.password(), new HashingPool(2, 8, () -> {}));

  @Test
  void hashesAsArgon2idPhcWithTheConfiguredCost() {
    String phc = hasher.hash("correct horse battery");
    assertThat(phc).startsWith("$argon2id$v=19$m=1024,t=1,p=1$");
    assertThat(hasher.hash("correct horse battery")).isNotEqualTo(phc); // random salt
  }

  @Test
  void verifiesTheRightPasswordOnly() {
    String phc = hasher.hash("correct horse battery");
    assertThat(hasher.verify("correct horse battery", phc)).isTrue();
    assertThat(hasher.verify("correct horse batterY", phc)).isFalse();
    assertThat(hasher.verify("", phc)).isFalse();
  }

  @Test
  void hashesWithOtherCostsStillVerify() {
    String old =
        new PasswordHasher(
                new UserConfig.Password(8, 128, 2048, 2, 1, 1, 0), new HashingPool(1, 0, () -> {}))
            .hash("pässwörd 😀");
    assertThat(hasher.verify("pässwörd 😀", old)).isTrue();
  }

  @Test
  void malformedStoredHashNeverMatches() {
    assertThat(hasher.verify("x", "not a hash")).isFalse();
    assertThat(hasher.verify("x", "$argon2id$v=19$m=1024,t=1,p=1$broken")).isFalse();
  }

  @Test
  void dummyVerificationIsAlwaysFalse() {
    assertThat(hasher.verifyDummy("anything at all")).isFalse();
  }

  /**
   * Logins, registrations and password changes all hash through the pool, so all share its bound.
   */
  @Test
  void hashingAndVerificationAreRefusedAtOnceWhenThePoolIsFull() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch occupied = new CountDownLatch(1);
    try (HashingPool pool = new HashingPool(1, 0, () -> {});
        ExecutorService caller = Executors.newVirtualThreadPerTaskExecutor()) {
      PasswordHasher small = new PasswordHasher(TestConfigs.password(), pool);
      String phc = small.hash("correct horse battery");
      Future<?> blocker =
          caller.submit(
              () ->
                  pool.run(
                      () -> {
                        occupied.countDown();
                        return release.await(10, TimeUnit.SECONDS);
                      }));
      assertThat(occupied.await(10, TimeUnit.SECONDS)).isTrue();
      for (Runnable r :
          new Runnable[] {
            () -> small.hash("x"),
            () -> small.verify("correct horse battery", phc),
            () -> small.verifyDummy("y")
          }) {
        assertThat(catchThrowableOfType(ParleyException.class, r::run).reason())
            .isEqualTo(Reason.UNAVAILABLE);
      }
      release.countDown();
      blocker.get(10, TimeUnit.SECONDS);
      assertThat(small.verify("correct horse battery", phc)).isTrue();
    }
  }

  @Test
  void policyCountsCharactersNotBytes() {
    hasher.checkPolicy("12345678", "password");
    hasher.checkPolicy("😀".repeat(128), "password");
    for (String weak : new String[] {"1234567", "😀".repeat(7), "x".repeat(129)}) {
      ParleyException e =
          catchThrowableOfType(
              ParleyException.class, () -> hasher.checkPolicy(weak, "new_password"));
      assertThat(e.reason()).isEqualTo(Reason.WEAK_PASSWORD);
      assertThat(e.toError().getField()).isEqualTo("new_password");
    }
  }
}
