package dev.parley.user;

import static dev.parley.user.UserServiceHarness.email;
import static dev.parley.user.UserServiceHarness.error;
import static dev.parley.user.UserServiceHarness.reason;
import static dev.parley.user.UserServiceHarness.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.proto.client.ApnsTarget;
import dev.parley.proto.client.AuthTokens;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.FcmTarget;
import dev.parley.proto.client.Identifier;
import dev.parley.proto.client.ListSessionsRequest;
import dev.parley.proto.client.LogoutRequest;
import dev.parley.proto.client.Platform;
import dev.parley.proto.client.PushService;
import dev.parley.proto.client.PushTarget;
import dev.parley.proto.client.RefreshRequest;
import dev.parley.proto.client.RegisterPushTargetRequest;
import dev.parley.proto.client.RevokeSessionRequest;
import dev.parley.proto.client.Session;
import dev.parley.proto.client.SetPasswordRequest;
import dev.parley.proto.client.UnregisterPushTargetRequest;
import dev.parley.proto.client.WebPushTarget;
import dev.parley.proto.internal.ListPushTargetsRequest;
import dev.parley.proto.internal.RemovePushTargetRequest;
import dev.parley.proto.internal.SessionPushTarget;
import dev.parley.testkit.PostgresExtension;
import dev.parley.user.push.TestSubscriptionKeys;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11 item 1: one push target per session, shown in the session list, gone with the session
 * whichever way it ends, and the push role's lookup.
 */
class PushTargetsIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  static UserServiceHarness users;
  private static final String PASSWORD = "correct horse battery";

  @BeforeAll
  static void start() {
    users = new UserServiceHarness(postgres.database(), TestConfigs.userConfig());
  }

  @AfterAll
  static void stop() throws Exception {
    users.close();
  }

  static PushTarget fcm(String token) {
    return PushTarget.newBuilder().setFcm(FcmTarget.newBuilder().setToken(token)).build();
  }

  static String uniqueToken() {
    return "tok:" + UUID.randomUUID().toString().replace("-", "_");
  }

  static PushTarget apns(String hexToken) {
    return PushTarget.newBuilder()
        .setApns(
            ApnsTarget.newBuilder()
                .setDeviceToken(hexToken)
                .setEnvironment(ApnsTarget.Environment.ENVIRONMENT_SANDBOX)
                .setTopic("com.example.parley"))
        .setNotifyWhileConnected(true)
        .build();
  }

  static PushTarget webPush(String endpoint) {
    return PushTarget.newBuilder()
        .setWebPush(
            WebPushTarget.newBuilder()
                .setEndpoint(endpoint)
                .setP256Dh(TestSubscriptionKeys.p256dh())
                .setAuth(TestSubscriptionKeys.AUTH))
        .build();
  }

  private static void register(AuthTokens session, PushTarget target) {
    users
        .as(session)
        .registerPushTarget(RegisterPushTargetRequest.newBuilder().setTarget(target).build());
  }

  private static List<SessionPushTarget> lookup(long... userIds) {
    var request = ListPushTargetsRequest.newBuilder();
    for (long id : userIds) request.addUserIds(id);
    return users.anonymous().listPushTargets(request.build()).getTargetsList();
  }

  private static Map<Long, PushService> listed(AuthTokens session) {
    return users
        .as(session)
        .listSessions(ListSessionsRequest.getDefaultInstance())
        .getSessionsList()
        .stream()
        .collect(Collectors.toMap(Session::getSessionId, Session::getPushService));
  }

  @Test
  void removePushTargetDeletesOnlyTheAddressTheProviderRefused() {
    AuthTokens android = users.register(email(uniqueEmail()), PASSWORD, "android");
    String refused = uniqueToken();
    register(android, fcm(refused));
    String renewed = uniqueToken();
    register(android, fcm(renewed)); // the app got a new token before the refusal came back

    assertThat(remove(android.getSessionId(), refused)).isFalse();
    assertThat(lookup(android.getUserId()))
        .extracting(t -> t.getTarget().getFcm().getToken())
        .containsExactly(renewed);
    assertThat(remove(android.getSessionId(), renewed)).isTrue();
    assertThat(lookup(android.getUserId())).isEmpty();
  }

  private static boolean remove(long sessionId, String address) {
    return users
        .anonymous()
        .removePushTarget(
            RemovePushTargetRequest.newBuilder()
                .setSessionId(sessionId)
                .setAddress(address)
                .build())
        .getRemoved();
  }

  @Test
  void oneTargetPerSessionReplacedOnReRegisterAndShownInTheSessionList() {
    Identifier id = email(uniqueEmail());
    AuthTokens android = users.register(id, PASSWORD, "android");
    AuthTokens iphone = users.loginWithPassword(id, PASSWORD, "iphone");
    AuthTokens browser = users.loginWithPassword(id, PASSWORD, "browser");
    AuthTokens laptop = users.loginWithPassword(id, PASSWORD, "laptop");

    register(android, fcm("first"));
    register(android, fcm(uniqueToken()));
    String apnsToken = UUID.randomUUID().toString().replace("-", "").repeat(2);
    register(iphone, apns(apnsToken.toUpperCase(java.util.Locale.ROOT)));
    String endpoint = "https://updates.push.services.mozilla.com/wpush/v2/" + UUID.randomUUID();
    register(browser, webPush(endpoint));

    assertThat(listed(laptop))
        .containsEntry(android.getSessionId(), PushService.PUSH_SERVICE_FCM)
        .containsEntry(iphone.getSessionId(), PushService.PUSH_SERVICE_APNS)
        .containsEntry(browser.getSessionId(), PushService.PUSH_SERVICE_WEB_PUSH)
        .containsEntry(laptop.getSessionId(), PushService.PUSH_SERVICE_UNSPECIFIED);

    List<SessionPushTarget> targets = lookup(android.getUserId());
    assertThat(targets)
        .extracting(SessionPushTarget::getSessionId)
        .containsExactly(android.getSessionId(), iphone.getSessionId(), browser.getSessionId());
    assertThat(targets.get(0).getTarget().getFcm().getToken()).isNotEqualTo("first");
    assertThat(targets.get(0).getDeviceId()).isEqualTo("android");
    assertThat(targets.get(0).getPlatform()).isEqualTo(Platform.PLATFORM_WEB);
    assertThat(targets.get(0).getRegisteredAtMs()).isEqualTo(users.clock.millis());
    ApnsTarget storedApns = targets.get(1).getTarget().getApns();
    assertThat(storedApns.getDeviceToken()).isEqualTo(apnsToken); // lowercase
    assertThat(storedApns.getEnvironment()).isEqualTo(ApnsTarget.Environment.ENVIRONMENT_SANDBOX);
    assertThat(storedApns.getTopic()).isEqualTo("com.example.parley");
    assertThat(targets.get(1).getTarget().getNotifyWhileConnected()).isTrue();
    assertThat(targets.get(2).getTarget().getWebPush().getEndpoint()).isEqualTo(endpoint);
    assertThat(targets.get(2).getTarget().getNotifyWhileConnected()).isFalse();

    users.as(iphone).unregisterPushTarget(UnregisterPushTargetRequest.getDefaultInstance());
    users.as(iphone).unregisterPushTarget(UnregisterPushTargetRequest.getDefaultInstance());
    assertThat(listed(laptop))
        .containsEntry(iphone.getSessionId(), PushService.PUSH_SERVICE_UNSPECIFIED);
    assertThat(lookup(android.getUserId())).hasSize(2);
  }

  @Test
  void aTokenRegisteredByAnotherAccountMovesToIt() {
    AuthTokens first = users.register(email(uniqueEmail()), PASSWORD, "shared-phone");
    AuthTokens second = users.register(email(uniqueEmail()), PASSWORD, "shared-phone");
    String token = uniqueToken();
    register(first, fcm(token));
    register(second, fcm(token));

    assertThat(lookup(first.getUserId())).isEmpty();
    assertThat(lookup(second.getUserId()))
        .extracting(t -> t.getTarget().getFcm().getToken())
        .containsExactly(token);
  }

  @Test
  void logoutRemovesTheTarget() {
    AuthTokens phone = withTarget(users.registerEmail());
    users.as(phone).logout(LogoutRequest.getDefaultInstance());
    assertTargetGone(phone);
  }

  @Test
  void remoteRevocationRemovesTheTarget() {
    Identifier id = email(uniqueEmail());
    AuthTokens laptop = withTarget(users.register(id, PASSWORD, "laptop"));
    AuthTokens phone = withTarget(users.loginWithPassword(id, PASSWORD, "phone"));
    revoke(laptop, phone);
    assertTargetGone(phone);
    assertThat(lookup(laptop.getUserId()))
        .extracting(SessionPushTarget::getSessionId)
        .containsExactly(laptop.getSessionId());
  }

  @Test
  void refreshTokenReuseRemovesTheTarget() {
    AuthTokens phone = withTarget(users.registerEmail());
    refresh(phone.getRefreshToken());
    users.clock.advance(Duration.ofSeconds(5)); // past the reuse window
    assertThat(reason(() -> refresh(phone.getRefreshToken())))
        .isEqualTo(Reason.REFRESH_TOKEN_REUSED);
    assertTargetGone(phone);
  }

  @Test
  void aNewLoginOnTheSameDeviceRemovesTheReplacedSessionsTarget() {
    Identifier id = email(uniqueEmail());
    AuthTokens before = withTarget(users.register(id, PASSWORD, "phone"));
    users.loginWithPassword(id, PASSWORD, "phone");
    assertTargetGone(before);
  }

  @Test
  void aPasswordChangeRemovesTheTargetsOfTheSessionsItEnds() {
    Identifier id = email(uniqueEmail());
    AuthTokens laptop = withTarget(users.register(id, PASSWORD, "laptop"));
    AuthTokens phone = withTarget(users.loginWithPassword(id, PASSWORD, "phone"));
    users
        .as(laptop)
        .setPassword(
            SetPasswordRequest.newBuilder()
                .setCurrentPassword(PASSWORD)
                .setNewPassword("another fine password")
                .build());
    assertTargetGone(phone);
    assertThat(lookup(laptop.getUserId()))
        .extracting(SessionPushTarget::getSessionId)
        .containsExactly(laptop.getSessionId());
  }

  @Test
  void aRevokedSessionCannotRegister() {
    Identifier id = email(uniqueEmail());
    AuthTokens laptop = users.register(id, PASSWORD, "laptop");
    AuthTokens phone = users.loginWithPassword(id, PASSWORD, "phone");
    revoke(laptop, phone);
    assertThat(reason(() -> register(phone, fcm(uniqueToken())))).isEqualTo(Reason.UNAUTHENTICATED);
    assertThat(storedRows(phone.getSessionId())).isZero();
  }

  @Test
  void invalidTargetsAreRefusedNamingTheField() {
    AuthTokens phone = users.registerEmail();
    var noTarget =
        error(
            () ->
                users.as(phone).registerPushTarget(RegisterPushTargetRequest.getDefaultInstance()));
    assertThat(noTarget.getReason()).isEqualTo(Reason.INVALID_ARGUMENT);
    assertThat(noTarget.getField()).isEqualTo("target");
    var empty = error(() -> register(phone, PushTarget.getDefaultInstance()));
    assertThat(empty.getField()).isEqualTo("target");
    var badFcm = error(() -> register(phone, fcm("has space")));
    assertThat(badFcm.getField()).isEqualTo("target.fcm.token");
    var noEnvironment =
        error(
            () ->
                register(
                    phone,
                    PushTarget.newBuilder()
                        .setApns(
                            ApnsTarget.newBuilder()
                                .setDeviceToken("ab".repeat(32))
                                .setTopic("com.example.parley"))
                        .build()));
    assertThat(noEnvironment.getField()).isEqualTo("target.apns.environment");
    var httpEndpoint = error(() -> register(phone, webPush("http://push.example/x")));
    assertThat(httpEndpoint.getField()).isEqualTo("target.web_push.endpoint");
    // An endpoint on the server's own network would make the push role a proxy into it.
    for (String internal :
        List.of("https://127.0.0.1:8443/push", "https://169.254.169.254/x", "https://[::1]/push")) {
      var privateEndpoint = error(() -> register(phone, webPush(internal)));
      assertThat(privateEndpoint.getReason()).isEqualTo(Reason.INVALID_ARGUMENT);
      assertThat(privateEndpoint.getField()).isEqualTo("target.web_push.endpoint");
      assertThat(privateEndpoint.getMessage()).contains("must be on a public address");
    }
    assertThat(lookup(phone.getUserId())).isEmpty();
  }

  @Test
  void theLookupIsBounded() {
    var request = ListPushTargetsRequest.newBuilder();
    for (long i = 1; i <= 1001; i++) request.addUserIds(i);
    assertThat(reason(() -> users.anonymous().listPushTargets(request.build())))
        .isEqualTo(Reason.INVALID_ARGUMENT);
  }

  /** The session, with a fresh FCM target registered. */
  private static AuthTokens withTarget(AuthTokens session) {
    register(session, fcm(uniqueToken()));
    return session;
  }

  private static void revoke(AuthTokens by, AuthTokens session) {
    users
        .as(by)
        .revokeSession(
            RevokeSessionRequest.newBuilder().setSessionId(session.getSessionId()).build());
  }

  /** No row left for the session, and the lookup does not name it. */
  private static void assertTargetGone(AuthTokens session) {
    assertThat(storedRows(session.getSessionId())).isZero();
    assertThat(lookup(session.getUserId()))
        .extracting(SessionPushTarget::getSessionId)
        .doesNotContain(session.getSessionId());
  }

  private static AuthTokens refresh(String token) {
    return users.anonymous().refresh(RefreshRequest.newBuilder().setRefreshToken(token).build());
  }

  /** Rows left in the table for a session, active or not (the lookup's join would hide them). */
  private static long storedRows(long sessionId) {
    return postgres
        .database()
        .jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT count(*) FROM usr.push_targets WHERE session_id = :s")
                    .bind("s", sessionId)
                    .mapTo(Long.class)
                    .one());
  }
}
