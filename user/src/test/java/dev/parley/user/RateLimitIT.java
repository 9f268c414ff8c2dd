package dev.parley.user;

import static dev.parley.user.UserServiceHarness.email;
import static dev.parley.user.UserServiceHarness.error;
import static dev.parley.user.UserServiceHarness.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.ratelimit.RateLimiter.Limit;
import dev.parley.proto.client.AuthTokens;
import dev.parley.proto.client.Error;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.GetProfilesRequest;
import dev.parley.proto.client.Identifier;
import dev.parley.proto.client.LookupUserRequest;
import dev.parley.proto.client.RefreshRequest;
import dev.parley.proto.client.RegisterRequest;
import dev.parley.proto.client.RequestCodeRequest;
import dev.parley.proto.client.SetPasswordRequest;
import dev.parley.testkit.PostgresExtension;
import java.time.Duration;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every limit triggers. Each test uses its own client address, so the per-IP buckets of one test do
 * not affect another.
 */
class RateLimitIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  static UserServiceHarness users;

  private static final Limit THREE_PER_HOUR = new Limit(3, Duration.ofHours(1));
  private static final Limit HIGH = new Limit(1000, Duration.ofHours(1));

  @BeforeAll
  static void start() {
    UserConfig.RateLimits limits =
        new UserConfig.RateLimits(
            new Limit(2, Duration.ofHours(1)), // code per identifier
            new Limit(4, Duration.ofHours(1)), // code per IP
            THREE_PER_HOUR, // login per identifier
            new Limit(6, Duration.ofHours(1)), // login per IP
            new Limit(5, Duration.ofHours(1)), // register per IP
            THREE_PER_HOUR, // refresh per session
            THREE_PER_HOUR, // lookup per user
            new Limit(5, Duration.ofHours(1)), // password change per user
            THREE_PER_HOUR, // password change per session
            new Limit(150, Duration.ofHours(1))); // get_profiles ids that name no visible account
    users =
        new UserServiceHarness(
            postgres.database(), TestConfigs.withRateLimits(TestConfigs.userConfig(), limits));
  }

  @AfterAll
  static void stop() throws Exception {
    users.close();
  }

  private static Error requestCode(String ip, Identifier id) {
    return error(
        () ->
            users
                .anonymous(ip)
                .requestCode(RequestCodeRequest.newBuilder().setIdentifier(id).build()));
  }

  private static void assertRateLimited(Error e) {
    assertThat(e.getReason()).isEqualTo(Reason.RATE_LIMITED);
    assertThat(e.getRetryAfterMs()).isPositive();
  }

  @Test
  void codeRequestsPerIdentifier() {
    Identifier id = email(uniqueEmail());
    users
        .anonymous("198.51.100.1")
        .requestCode(RequestCodeRequest.newBuilder().setIdentifier(id).build());
    users.clock.advance(Duration.ofSeconds(61));
    users
        .anonymous("198.51.100.2")
        .requestCode(RequestCodeRequest.newBuilder().setIdentifier(id).build());
    users.clock.advance(Duration.ofSeconds(61));
    assertRateLimited(requestCode("198.51.100.3", id));
  }

  @Test
  void codeRequestsPerIp() {
    for (int i = 0; i < 4; i++) {
      users
          .anonymous("198.51.100.10")
          .requestCode(RequestCodeRequest.newBuilder().setIdentifier(email(uniqueEmail())).build());
    }
    assertRateLimited(requestCode("198.51.100.10", email(uniqueEmail())));
  }

  @Test
  void loginsPerIdentifier() {
    Identifier id = email(uniqueEmail());
    for (int i = 0; i < 3; i++) {
      assertThat(error(() -> users.anonymous("198.51.100.20").login(login(id))).getReason())
          .isEqualTo(Reason.INVALID_CREDENTIALS);
    }
    assertRateLimited(error(() -> users.anonymous("198.51.100.21").login(login(id))));
  }

  @Test
  void loginsPerIp() {
    for (int i = 0; i < 6; i++) {
      assertThat(
              error(() -> users.anonymous("198.51.100.30").login(login(email(uniqueEmail()))))
                  .getReason())
          .isEqualTo(Reason.INVALID_CREDENTIALS);
    }
    assertRateLimited(
        error(() -> users.anonymous("198.51.100.30").login(login(email(uniqueEmail())))));
  }

  @Test
  void registrationsPerIp() {
    RegisterRequest r =
        RegisterRequest.newBuilder()
            .setIdentifier(email(uniqueEmail()))
            .setCode("123456")
            .setDisplayName("X")
            .setDevice(UserServiceHarness.device(""))
            .build();
    for (int i = 0; i < 5; i++) {
      assertThat(error(() -> users.anonymous("198.51.100.40").register(r)).getReason())
          .isEqualTo(Reason.INVALID_CODE);
    }
    assertRateLimited(error(() -> users.anonymous("198.51.100.40").register(r)));
  }

  @Test
  void refreshesPerSession() {
    AuthTokens t = users.registerEmail();
    for (int i = 0; i < 3; i++) {
      t =
          users
              .anonymous()
              .refresh(RefreshRequest.newBuilder().setRefreshToken(t.getRefreshToken()).build());
    }
    String last = t.getRefreshToken();
    assertRateLimited(
        error(
            () ->
                users
                    .anonymous()
                    .refresh(RefreshRequest.newBuilder().setRefreshToken(last).build())));
    // A limited refresh does not consume the token.
    users.clock.advance(Duration.ofMinutes(30));
    assertThat(
            users
                .anonymous()
                .refresh(RefreshRequest.newBuilder().setRefreshToken(last).build())
                .getSessionId())
        .isEqualTo(t.getSessionId());
  }

  @Test
  void lookupsPerUser() {
    var caller = users.as(users.registerEmail());
    for (int i = 0; i < 3; i++) {
      assertThat(
              error(
                      () ->
                          caller.lookupUser(
                              LookupUserRequest.newBuilder().setEmail(uniqueEmail()).build()))
                  .getReason())
          .isEqualTo(Reason.NOT_FOUND);
    }
    assertRateLimited(
        error(
            () ->
                caller.lookupUser(LookupUserRequest.newBuilder().setEmail(uniqueEmail()).build())));
  }

  /** A stolen session guesses the current password: three tries per session, five per account. */
  @Test
  void passwordChangeTriesPerSessionAndPerAccount() {
    Identifier id = email(uniqueEmail());
    AuthTokens first = users.register(id, "the real password", "device-a", "198.51.100.50");
    var guess =
        SetPasswordRequest.newBuilder()
            .setCurrentPassword("a wrong guess")
            .setNewPassword("attacker password")
            .build();
    for (int i = 0; i < 3; i++) {
      assertThat(error(() -> users.as(first).setPassword(guess)).getReason())
          .isEqualTo(Reason.INVALID_CREDENTIALS);
    }
    assertRateLimited(error(() -> users.as(first).setPassword(guess)));
    // Another session of the same account has its own three, but the account's five are used up
    // after two.
    AuthTokens second = users.loginWithPassword(id, "the real password", "device-b");
    for (int i = 0; i < 2; i++) {
      assertThat(error(() -> users.as(second).setPassword(guess)).getReason())
          .isEqualTo(Reason.INVALID_CREDENTIALS);
    }
    var right =
        SetPasswordRequest.newBuilder()
            .setCurrentPassword("the real password")
            .setNewPassword("a new password")
            .build();
    assertRateLimited(error(() -> users.as(second).setPassword(right)));
  }

  /**
   * Issue 9 item 8: snowflake ids are time-based, so scanning a second's worth of ids with
   * get_profiles found new accounts. Ids that name no account now cost from a budget (150 here);
   * ids that exist cost nothing, so normal clients are never limited.
   */
  @Test
  void scanningProfileIdsRunsOutOfMissesButKnownIdsStillWork() {
    AuthTokens scanner = users.register(email(uniqueEmail()), "", "", "198.51.100.60");
    AuthTokens known = users.register(email(uniqueEmail()), "", "", "198.51.100.61");
    long base = known.getUserId();
    GetProfilesRequest firstHundred =
        GetProfilesRequest.newBuilder()
            .addAllUserIds(LongStream.range(base + 1, base + 101).boxed().toList())
            .build();
    assertThat(users.as(scanner).getProfiles(firstHundred).getProfilesList()).isEmpty();
    GetProfilesRequest nextHundred =
        GetProfilesRequest.newBuilder()
            .addAllUserIds(LongStream.range(base + 101, base + 201).boxed().toList())
            .build();
    assertRateLimited(error(() -> users.as(scanner).getProfiles(nextHundred)));

    GetProfilesRequest real =
        GetProfilesRequest.newBuilder()
            .addUserIds(known.getUserId())
            .addUserIds(scanner.getUserId())
            .build();
    assertThat(users.as(scanner).getProfiles(real).getProfilesCount()).isEqualTo(2);
  }

  private static dev.parley.proto.client.LoginRequest login(Identifier id) {
    return dev.parley.proto.client.LoginRequest.newBuilder()
        .setIdentifier(id)
        .setPassword("some password")
        .setDevice(UserServiceHarness.device(""))
        .build();
  }
}
