package dev.parley.user;

import static dev.parley.user.UserServiceHarness.email;
import static dev.parley.user.UserServiceHarness.reason;
import static dev.parley.user.UserServiceHarness.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.proto.client.AuthTokens;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.GetAccountRequest;
import dev.parley.proto.client.Identifier;
import dev.parley.proto.client.ListSessionsRequest;
import dev.parley.proto.client.LogoutRequest;
import dev.parley.proto.client.RefreshRequest;
import dev.parley.proto.client.RevokeSessionRequest;
import dev.parley.proto.client.Session;
import dev.parley.proto.client.SetPasswordRequest;
import dev.parley.proto.internal.AuthenticateTokenRequest;
import dev.parley.proto.internal.Delivery;
import dev.parley.proto.internal.TouchSessionRequest;
import dev.parley.proto.internal.UserServiceGrpc.UserServiceBlockingStub;
import dev.parley.testkit.PostgresExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ACC-4: device sessions, listing, remote logout and its effects. */
class SessionsIT {
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

  private static final String PASSWORD = "correct horse battery";

  private static AuthenticateTokenRequest token(AuthTokens t) {
    return AuthenticateTokenRequest.newBuilder().setAccessToken(t.getAccessToken()).build();
  }

  @Test
  void twoDevicesAtOnceAndTheListMarksTheCurrentOne() {
    Identifier id = email(uniqueEmail());
    AuthTokens laptop = users.register(id, PASSWORD, "laptop");
    AuthTokens phone = users.loginWithPassword(id, PASSWORD, "phone");

    assertThat(users.anonymous().authenticate(token(laptop)).getSessionId())
        .isEqualTo(laptop.getSessionId());
    assertThat(users.anonymous().authenticate(token(phone)).getSessionId())
        .isEqualTo(phone.getSessionId());

    List<Session> sessions =
        users.as(phone).listSessions(ListSessionsRequest.getDefaultInstance()).getSessionsList();
    assertThat(sessions)
        .extracting(Session::getSessionId)
        .containsExactly(laptop.getSessionId(), phone.getSessionId());
    assertThat(sessions)
        .filteredOn(Session::getCurrent)
        .extracting(Session::getSessionId)
        .containsExactly(phone.getSessionId());
    Session listedPhone = sessions.get(1);
    assertThat(listedPhone.getDeviceId()).isEqualTo("phone");
    assertThat(listedPhone.getDeviceName()).isEqualTo("Firefox on Linux");
    assertThat(listedPhone.getIp()).isEqualTo("192.0.2.1");
    assertThat(listedPhone.getCreatedAtMs()).isEqualTo(users.clock.millis());

    // The laptop hears of the phone's login; the phone itself is skipped.
    Delivery added =
        users.deliveriesFor(laptop.getUserId()).stream()
            .filter(
                d ->
                    d.getEvent().hasSessionAdded()
                        && d.getEvent().getSessionAdded().getSession().getSessionId()
                            == phone.getSessionId())
            .findFirst()
            .orElseThrow();
    assertThat(added.getExceptSessionId()).isEqualTo(phone.getSessionId());
  }

  @Test
  void remoteLogoutStopsTheTokensAndDisconnectsTheDevice() {
    Identifier id = email(uniqueEmail());
    AuthTokens laptop = users.register(id, PASSWORD, "laptop");
    AuthTokens phone = users.loginWithPassword(id, PASSWORD, "phone");

    users
        .as(laptop)
        .revokeSession(
            RevokeSessionRequest.newBuilder().setSessionId(phone.getSessionId()).build());

    assertThat(reason(() -> users.anonymous().authenticate(token(phone))))
        .isEqualTo(Reason.UNAUTHENTICATED);
    assertThat(
            reason(
                () ->
                    users
                        .anonymous()
                        .refresh(
                            RefreshRequest.newBuilder()
                                .setRefreshToken(phone.getRefreshToken())
                                .build())))
        .isEqualTo(Reason.INVALID_REFRESH_TOKEN);
    assertThat(reason(() -> users.as(phone).getAccount(GetAccountRequest.getDefaultInstance())))
        .isEqualTo(Reason.UNAUTHENTICATED);
    Delivery revoked = revocationOf(phone);
    assertThat(revoked.getDisconnectSessionId()).isEqualTo(phone.getSessionId());
    assertThat(revoked.getUserIdsList()).containsExactly(phone.getUserId());
    assertThat(revoked.getEvent().getSessionRevoked().getReason()).isEqualTo("revoked");

    assertThat(users.anonymous().authenticate(token(laptop)).getSessionId())
        .isEqualTo(laptop.getSessionId());
    assertThat(activeSessionIds(laptop)).containsExactly(laptop.getSessionId());
    var touched =
        users
            .anonymous()
            .touchSession(
                TouchSessionRequest.newBuilder().setSessionId(phone.getSessionId()).build());
    assertThat(touched.getActive()).isFalse();
  }

  @Test
  void cannotRevokeSomeoneElsesSession() {
    AuthTokens mine = users.registerEmail();
    AuthTokens theirs = users.registerEmail();
    UserServiceBlockingStub me = users.as(mine);
    assertThat(
            reason(
                () ->
                    me.revokeSession(
                        RevokeSessionRequest.newBuilder()
                            .setSessionId(theirs.getSessionId())
                            .build())))
        .isEqualTo(Reason.NOT_FOUND);
    assertThat(
            reason(
                () ->
                    me.revokeSession(
                        RevokeSessionRequest.newBuilder().setSessionId(123456789L).build())))
        .isEqualTo(Reason.NOT_FOUND);
    assertThat(users.anonymous().authenticate(token(theirs)).getUserId())
        .isEqualTo(theirs.getUserId());
  }

  @Test
  void logoutEndsTheOwnSession() {
    AuthTokens tokens = users.registerEmail();
    users.as(tokens).logout(LogoutRequest.getDefaultInstance());
    assertThat(reason(() -> users.anonymous().authenticate(token(tokens))))
        .isEqualTo(Reason.UNAUTHENTICATED);
    assertThat(revocationOf(tokens).getEvent().getSessionRevoked().getReason()).isEqualTo("logout");
  }

  @Test
  void loggingInAgainOnTheSameDeviceReplacesItsSession() {
    Identifier id = email(uniqueEmail());
    AuthTokens first = users.register(id, PASSWORD, "laptop");
    AuthTokens second = users.loginWithPassword(id, PASSWORD, "laptop");

    assertThat(second.getSessionId()).isNotEqualTo(first.getSessionId());
    assertThat(reason(() -> users.anonymous().authenticate(token(first))))
        .isEqualTo(Reason.UNAUTHENTICATED);
    assertThat(revocationOf(first).getEvent().getSessionRevoked().getReason())
        .isEqualTo("replaced");
    assertThat(activeSessionIds(second)).containsExactly(second.getSessionId());
  }

  @Test
  void touchRecordsLastSeenAndAddress() {
    AuthTokens tokens = users.registerEmail();
    users.clock.advance(Duration.ofMinutes(3));
    var touched =
        users
            .anonymous()
            .touchSession(
                TouchSessionRequest.newBuilder()
                    .setSessionId(tokens.getSessionId())
                    .setIp("203.0.113.7")
                    .build());
    assertThat(touched.getActive()).isTrue();
    Session s =
        users.as(tokens).listSessions(ListSessionsRequest.getDefaultInstance()).getSessions(0);
    assertThat(s.getIp()).isEqualTo("203.0.113.7");
    assertThat(s.getLastSeenAtMs()).isEqualTo(users.clock.millis());
    assertThat(s.getCreatedAtMs())
        .isEqualTo(users.clock.millis() - Duration.ofMinutes(3).toMillis());
  }

  @Test
  void authenticatingAConnectionRecordsLastSeenAndAddressToo() {
    AuthTokens tokens = users.registerEmail();
    users.clock.advance(Duration.ofMinutes(4));
    assertThat(users.anonymous("198.51.100.9").authenticate(token(tokens)).getSessionId())
        .isEqualTo(tokens.getSessionId());
    Session s =
        users.as(tokens).listSessions(ListSessionsRequest.getDefaultInstance()).getSessions(0);
    assertThat(s.getIp()).isEqualTo("198.51.100.9");
    assertThat(s.getLastSeenAtMs()).isEqualTo(users.clock.millis());
  }

  @Test
  void accessTokensExpireAndGarbageIsRefused() {
    AuthTokens tokens = users.registerEmail();
    users.clock.advance(Duration.ofMinutes(15));
    assertThat(reason(() -> users.anonymous().authenticate(token(tokens))))
        .isEqualTo(Reason.UNAUTHENTICATED);
    for (String garbage : new String[] {"", "x", tokens.getAccessToken() + "A", "A".repeat(76)}) {
      assertThat(
              reason(
                  () ->
                      users
                          .anonymous()
                          .authenticate(
                              AuthenticateTokenRequest.newBuilder()
                                  .setAccessToken(garbage)
                                  .build())))
          .isEqualTo(Reason.UNAUTHENTICATED);
    }
  }

  @Test
  void callsThatNeedACallerRefuseAnonymousOnes() {
    assertThat(
            reason(() -> users.anonymous().listSessions(ListSessionsRequest.getDefaultInstance())))
        .isEqualTo(Reason.UNAUTHENTICATED);
    assertThat(reason(() -> users.anonymous().getAccount(GetAccountRequest.getDefaultInstance())))
        .isEqualTo(Reason.UNAUTHENTICATED);
    assertThat(reason(() -> users.anonymous().logout(LogoutRequest.getDefaultInstance())))
        .isEqualTo(Reason.UNAUTHENTICATED);
    AuthTokens tokens = users.registerEmail();
    // A caller claiming a session that belongs to another user is refused too.
    AuthTokens other = users.registerEmail();
    var mixed = users.as(AuthTokens.newBuilder(other).setSessionId(tokens.getSessionId()).build());
    assertThat(reason(() -> mixed.getAccount(GetAccountRequest.getDefaultInstance())))
        .isEqualTo(Reason.UNAUTHENTICATED);
  }

  /** Issue 9 item 12: a password change used to leave every other session signed in. */
  @Test
  void changingThePasswordLogsOutTheOtherDevicesByDefault() {
    Identifier id = email(uniqueEmail());
    AuthTokens laptop = users.register(id, PASSWORD, "laptop");
    AuthTokens phone = users.loginWithPassword(id, PASSWORD, "phone");
    AuthTokens tablet = users.loginWithPassword(id, PASSWORD, "tablet");

    users
        .as(laptop)
        .setPassword(
            SetPasswordRequest.newBuilder()
                .setCurrentPassword(PASSWORD)
                .setNewPassword("a brand new password")
                .build());

    for (AuthTokens other : List.of(phone, tablet)) {
      assertThat(reason(() -> users.anonymous().authenticate(token(other))))
          .isEqualTo(Reason.UNAUTHENTICATED);
      assertThat(
              reason(
                  () ->
                      users
                          .anonymous()
                          .refresh(
                              RefreshRequest.newBuilder()
                                  .setRefreshToken(other.getRefreshToken())
                                  .build())))
          .isEqualTo(Reason.INVALID_REFRESH_TOKEN);
      Delivery revoked = revocationOf(other);
      assertThat(revoked.getDisconnectSessionId()).isEqualTo(other.getSessionId());
      assertThat(revoked.getEvent().getSessionRevoked().getReason()).isEqualTo("password_changed");
    }
    assertThat(activeSessionIds(laptop)).containsExactly(laptop.getSessionId());
  }

  /**
   * A login that verified the old password while a change of it was committing used to open its
   * session after the change had ended the others: a session with the old password survived. The
   * test orders the two with the account row: it holds the row, the change queues on it, the login
   * (having read and verified the old hash) queues behind the change.
   */
  @Test
  void aLoginThatVerifiedTheOldPasswordDuringAChangeGetsNoSession() throws Exception {
    Identifier id = email(uniqueEmail());
    AuthTokens laptop = users.register(id, PASSWORD, "laptop");
    long userId = laptop.getUserId();
    var jdbi = postgres.database().jdbi();
    // Each blocked call needs a thread of its own (the common pool may have only one).
    try (var threads = Executors.newVirtualThreadPerTaskExecutor();
        var holder = jdbi.open()) {
      holder.begin();
      holder
          .createQuery("SELECT user_id FROM usr.accounts WHERE user_id = :id FOR UPDATE")
          .bind("id", userId)
          .mapTo(Long.class)
          .one();
      CompletableFuture<?> change =
          CompletableFuture.runAsync(
              () ->
                  users
                      .as(laptop)
                      .setPassword(
                          SetPasswordRequest.newBuilder()
                              .setCurrentPassword(PASSWORD)
                              .setNewPassword("changed while logging in")
                              .build()),
              threads);
      awaitBackendsWaitingForLocks(jdbi, 1);
      CompletableFuture<Reason> login =
          CompletableFuture.supplyAsync(
              () -> reason(() -> users.loginWithPassword(id, PASSWORD, "phone")), threads);
      awaitBackendsWaitingForLocks(jdbi, 2);
      holder.rollback();
      change.get(30, TimeUnit.SECONDS);
      assertThat(login.get(30, TimeUnit.SECONDS)).isEqualTo(Reason.INVALID_CREDENTIALS);
    }
    assertThat(activeSessionIds(laptop)).containsExactly(laptop.getSessionId());
  }

  private static List<Long> activeSessionIds(AuthTokens caller) {
    return users
        .as(caller)
        .listSessions(ListSessionsRequest.getDefaultInstance())
        .getSessionsList()
        .stream()
        .map(Session::getSessionId)
        .toList();
  }

  private static void awaitBackendsWaitingForLocks(org.jdbi.v3.core.Jdbi jdbi, int count) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                jdbi.withHandle(
                    h ->
                        h.createQuery(
                                "SELECT count(*) FROM pg_stat_activity"
                                    + " WHERE wait_event_type = 'Lock' AND datname = current_database()")
                            .mapTo(Integer.class)
                            .one()),
            n -> n == count);
  }

  @Test
  void changingThePasswordCanKeepTheOtherDevices() {
    Identifier id = email(uniqueEmail());
    AuthTokens laptop = users.register(id, PASSWORD, "laptop");
    AuthTokens phone = users.loginWithPassword(id, PASSWORD, "phone");

    users
        .as(laptop)
        .setPassword(
            SetPasswordRequest.newBuilder()
                .setCurrentPassword(PASSWORD)
                .setNewPassword("a brand new password")
                .setKeepOtherSessions(true)
                .build());

    assertThat(users.anonymous().authenticate(token(phone)).getSessionId())
        .isEqualTo(phone.getSessionId());
    assertThat(
            users
                .as(laptop)
                .listSessions(ListSessionsRequest.getDefaultInstance())
                .getSessionsList())
        .hasSize(2);
  }

  private static Delivery revocationOf(AuthTokens session) {
    return users.deliveriesFor(session.getUserId()).stream()
        .filter(
            d ->
                d.getEvent().hasSessionRevoked()
                    && d.getEvent().getSessionRevoked().getSessionId() == session.getSessionId())
        .findFirst()
        .orElseThrow();
  }
}
