package dev.parley.user;

import static dev.parley.user.UserServiceHarness.error;
import static dev.parley.user.UserServiceHarness.reason;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.grpc.GrpcErrors;
import dev.parley.proto.client.AuthTokens;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.RefreshRequest;
import dev.parley.proto.internal.AuthenticateTokenRequest;
import dev.parley.testkit.PostgresExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Refresh-token rotation, reuse detection and the concurrent-refresh race. */
class RefreshIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  static UserServiceHarness users;

  @BeforeAll
  static void start() {
    users = new UserServiceHarness(postgres.database(), TestConfigs.userConfig());
  }

  @AfterAll
  static void stop() throws Exception {
    users.close();
  }

  private static AuthTokens refresh(String token) {
    return users.anonymous().refresh(RefreshRequest.newBuilder().setRefreshToken(token).build());
  }

  private static boolean authenticates(AuthTokens t) {
    try {
      users
          .anonymous()
          .authenticate(
              AuthenticateTokenRequest.newBuilder().setAccessToken(t.getAccessToken()).build());
      return true;
    } catch (RuntimeException e) {
      assertThat(GrpcErrors.toError(e).getReason()).isEqualTo(Reason.UNAUTHENTICATED);
      return false;
    }
  }

  @Test
  void refreshRotatesBothTokens() {
    AuthTokens first = users.registerEmail();
    users.clock.advance(Duration.ofMinutes(1));
    AuthTokens second = refresh(first.getRefreshToken());

    assertThat(second.getSessionId()).isEqualTo(first.getSessionId());
    assertThat(second.getUserId()).isEqualTo(first.getUserId());
    assertThat(second.getDeviceId()).isEqualTo(first.getDeviceId());
    assertThat(second.getRefreshToken()).isNotEqualTo(first.getRefreshToken());
    assertThat(second.getAccessToken()).isNotEqualTo(first.getAccessToken());
    assertThat(second.getAccessTokenExpiresAtMs())
        .isEqualTo(users.clock.millis() + Duration.ofMinutes(15).toMillis());
    assertThat(second.getRefreshTokenExpiresAtMs())
        .isEqualTo(users.clock.millis() + Duration.ofDays(30).toMillis());
    assertThat(authenticates(second)).isTrue();
    assertThat(refresh(second.getRefreshToken()).getSessionId()).isEqualTo(first.getSessionId());
  }

  @Test
  void reusingARefreshTokenRevokesTheSession() {
    AuthTokens first = users.registerEmail();
    AuthTokens second = refresh(first.getRefreshToken());
    users.clock.advance(Duration.ofSeconds(5)); // the reuse window is over

    assertThat(reason(() -> refresh(first.getRefreshToken())))
        .isEqualTo(Reason.REFRESH_TOKEN_REUSED);

    assertThat(authenticates(second)).isFalse();
    assertThat(reason(() -> refresh(second.getRefreshToken())))
        .isEqualTo(Reason.INVALID_REFRESH_TOKEN);
    var revoked =
        users.deliveriesFor(first.getUserId()).stream()
            .filter(d -> d.getDisconnectSessionId() == first.getSessionId())
            .findFirst();
    assertThat(revoked).isPresent();
    assertThat(revoked.get().getEvent().getSessionRevoked().getReason())
        .isEqualTo("refresh_token_reused");
    assertThat(users.counter("parley.user.refreshes", "outcome", "reused")).isPositive();
  }

  @Test
  void unknownAndExpiredTokensAreInvalid() {
    assertThat(reason(() -> refresh("A".repeat(43)))).isEqualTo(Reason.INVALID_REFRESH_TOKEN);
    assertThat(reason(() -> refresh("x".repeat(500)))).isEqualTo(Reason.INVALID_REFRESH_TOKEN);
    assertThat(error(() -> refresh("")).getField()).isEqualTo("refresh_token");

    AuthTokens tokens = users.registerEmail();
    users.clock.advance(Duration.ofDays(30));
    assertThat(reason(() -> refresh(tokens.getRefreshToken())))
        .isEqualTo(Reason.INVALID_REFRESH_TOKEN);
  }

  /**
   * Issue 9 item 14(c): two tabs refreshing with one token at once used to revoke the session. Now
   * both get the same successor (and each an access token that works), and the session lives on.
   */
  @Test
  void concurrentRefreshesWithOneTokenGetTheSameSuccessor() throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      for (int round = 0; round < 5; round++) {
        AuthTokens tokens = users.registerEmail();
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Object>> racers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          racers.add(
              CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      go.await();
                      return refresh(tokens.getRefreshToken());
                    } catch (InterruptedException e) {
                      throw new IllegalStateException(e);
                    } catch (RuntimeException e) {
                      return GrpcErrors.toError(e).getReason();
                    }
                  },
                  pool));
        }
        go.countDown();
        List<Object> results = racers.stream().map(CompletableFuture::join).toList();
        assertThat(results).allMatch(AuthTokens.class::isInstance);
        AuthTokens a = (AuthTokens) results.get(0);
        AuthTokens b = (AuthTokens) results.get(1);
        assertThat(a.getRefreshToken())
            .isEqualTo(b.getRefreshToken())
            .isNotEqualTo(tokens.getRefreshToken());
        assertThat(a.getRefreshTokenExpiresAtMs()).isEqualTo(b.getRefreshTokenExpiresAtMs());
        assertThat(authenticates(a)).isTrue();
        assertThat(authenticates(b)).isTrue();
        // The shared successor is an ordinary token: it rotates once, as usual.
        assertThat(refresh(a.getRefreshToken()).getSessionId()).isEqualTo(tokens.getSessionId());
      }
    }
  }

  @Test
  void theReuseWindowIsShortAndEndsWhenTheSuccessorIsUsed() {
    AuthTokens first = users.registerEmail();
    AuthTokens second = refresh(first.getRefreshToken());
    users.clock.advance(Duration.ofMillis(4_999));
    assertThat(refresh(first.getRefreshToken()).getRefreshToken())
        .isEqualTo(second.getRefreshToken());
    assertThat(users.counter("parley.user.refreshes", "outcome", "repeated")).isPositive();

    // The successor has moved on: the old token is now evidence of reuse, even inside the window.
    AuthTokens third = refresh(second.getRefreshToken());
    assertThat(reason(() -> refresh(first.getRefreshToken())))
        .isEqualTo(Reason.REFRESH_TOKEN_REUSED);
    assertThat(authenticates(third)).isFalse();

    // Past the window (exactly 5 s after the rotation) a repeat revokes too.
    AuthTokens other = users.registerEmail();
    refresh(other.getRefreshToken());
    users.clock.advance(Duration.ofSeconds(5));
    assertThat(reason(() -> refresh(other.getRefreshToken())))
        .isEqualTo(Reason.REFRESH_TOKEN_REUSED);
  }
}
