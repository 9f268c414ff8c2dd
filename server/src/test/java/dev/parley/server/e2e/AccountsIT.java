package dev.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import dev.parley.client.AuthApi;
import dev.parley.client.ClientException;
import dev.parley.client.CloseStatus;
import dev.parley.client.Connection;
import dev.parley.client.Connection.State;
import dev.parley.client.Credentials;
import dev.parley.client.Encoding;
import dev.parley.client.EventRecorder;
import dev.parley.client.Futures;
import dev.parley.client.ParleyClient;
import dev.parley.client.TokenStore;
import dev.parley.proto.client.Account;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.Event;
import dev.parley.proto.client.ListSecurityEventsRequest;
import dev.parley.proto.client.LoginRequest;
import dev.parley.proto.client.LookupUserRequest;
import dev.parley.proto.client.Platform;
import dev.parley.proto.client.RegisterRequest;
import dev.parley.proto.client.Role;
import dev.parley.proto.client.SecurityEvent;
import dev.parley.proto.client.Session;
import dev.parley.proto.client.UpdateProfileRequest;
import dev.parley.testkit.PostgresExtension;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * ACC-1..5 end to end: the real single node (gateway + user service + PostgreSQL), a real SMTP
 * server receiving the codes, a local HTTP SMS provider, and the Java SDK in both encodings.
 */
@ParameterizedClass
@EnumSource(Encoding.class)
class AccountsIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();

  @RegisterExtension
  static final GreenMailExtension mail =
      new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
          .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication())
          .withPerMethodLifecycle(false);

  private static final List<String> smsBodies = new CopyOnWriteArrayList<>();
  private static final AtomicInteger counter = new AtomicInteger();
  private static HttpServer sms;
  private static TestNode node;
  private static MailCodes codes;

  @Parameter Encoding encoding;

  @BeforeAll
  static void start() throws Exception {
    sms = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    sms.createContext(
        "/send",
        exchange -> {
          smsBodies.add(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(202, -1);
          exchange.close();
        });
    sms.start();
    node =
        TestNode.start(
            postgres,
            Map.of(
                "user.mail.mode", "smtp",
                "user.mail.smtp.host", "127.0.0.1",
                "user.mail.smtp.port", Integer.toString(mail.getSmtp().getPort()),
                "user.mail.smtp.security", "none",
                "user.sms.mode", "http",
                "user.sms.http.url", "http://127.0.0.1:" + sms.getAddress().getPort() + "/send"));
    codes = new MailCodes(mail);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
    if (sms != null) sms.stop(0);
  }

  private ParleyClient client() {
    return node.client(encoding);
  }

  private String email() {
    return "user"
        + counter.incrementAndGet()
        + "-"
        + encoding.name().toLowerCase()
        + "@example.com";
  }

  private Connection connect(ParleyClient client, Credentials credentials) {
    Connection c = client.newConnection(TokenStore.inMemory(credentials));
    c.start().awaitState(State.READY, WAIT);
    return c;
  }

  private static Reason reasonOf(Runnable call) {
    try {
      call.run();
    } catch (ClientException e) {
      return e.reason();
    }
    throw new AssertionError("expected a ClientException");
  }

  @Test
  void registerWithAnEmailedCodeThenUseTheAccount() {
    ParleyClient client = client();
    String email = email();
    Credentials creds = Users.register(client, codes, email, "Ada", "laptop");

    try (Connection c = connect(client, creds)) {
      Account account = Futures.await(c.getAccount()).getAccount();
      assertThat(account.getEmail()).isEqualTo(email);
      assertThat(account.getHasPassword()).isTrue();
      assertThat(account.getProfile().getDisplayName()).isEqualTo("Ada");
      assertThat(account.getProfile().getUserId()).isEqualTo(creds.userId());
    }
  }

  @Test
  void codesAreRejectedWhenWrongExpiredReusedOrTriedTooOften() {
    ParleyClient client = client();
    String email = email();
    RegisterRequest.Builder register =
        RegisterRequest.newBuilder()
            .setIdentifier(AuthApi.email(email))
            .setDisplayName("Bea")
            .setDevice(Users.device("d1", Platform.PLATFORM_WEB));

    // wrong
    String code = codes.request(client, email);
    String wrong = code.equals("000000") ? "111111" : "000000";
    assertThat(reasonOf(() -> client.auth().register(register.setCode(wrong).build())))
        .isEqualTo(Reason.INVALID_CODE);

    // expired: five minutes of validity
    node.clock.advance(Duration.ofMinutes(6));
    assertThat(reasonOf(() -> client.auth().register(register.setCode(code).build())))
        .isEqualTo(Reason.INVALID_CODE);

    // too many attempts: the fifth wrong try kills the code, even the right one fails afterwards
    String fresh = codes.request(client, email);
    String other = fresh.equals("000000") ? "111111" : "000000";
    for (int i = 0; i < 4; i++) {
      assertThat(reasonOf(() -> client.auth().register(register.setCode(other).build())))
          .isEqualTo(Reason.INVALID_CODE);
    }
    assertThat(reasonOf(() -> client.auth().register(register.setCode(other).build())))
        .isEqualTo(Reason.CODE_ATTEMPTS_EXCEEDED);
    assertThat(reasonOf(() -> client.auth().register(register.setCode(fresh).build())))
        .isEqualTo(Reason.CODE_ATTEMPTS_EXCEEDED);

    // reused: a code works once
    String good = codes.request(client, email);
    client.auth().register(register.setCode(good).build());
    LoginRequest byCode =
        LoginRequest.newBuilder()
            .setIdentifier(AuthApi.email(email))
            .setCode(good)
            .setDevice(Users.device("d2", Platform.PLATFORM_WEB))
            .build();
    assertThat(reasonOf(() -> client.auth().login(byCode))).isEqualTo(Reason.INVALID_CODE);
  }

  @Test
  void loginByPasswordAndByCode_andNoEnumeration() {
    ParleyClient client = client();
    String email = email();
    Users.register(client, codes, email, "Cy", "laptop");

    Credentials byPassword = Users.login(client, email, "phone", Platform.PLATFORM_ANDROID);
    assertThat(byPassword.sessionId()).isPositive();

    String code = codes.request(client, email);
    Credentials byCode =
        client
            .auth()
            .login(
                LoginRequest.newBuilder()
                    .setIdentifier(AuthApi.email(email))
                    .setCode(code)
                    .setDevice(Users.device("tablet", Platform.PLATFORM_IOS))
                    .build());
    assertThat(byCode.userId()).isEqualTo(byPassword.userId());

    LoginRequest wrongPassword =
        LoginRequest.newBuilder()
            .setIdentifier(AuthApi.email(email))
            .setPassword("not the password")
            .setDevice(Users.device("x", Platform.PLATFORM_WEB))
            .build();
    LoginRequest unknownAccount =
        wrongPassword.toBuilder().setIdentifier(AuthApi.email(email())).build();
    ClientException a = catchClient(() -> client.auth().login(wrongPassword));
    ClientException b = catchClient(() -> client.auth().login(unknownAccount));
    assertThat(a.reason()).isEqualTo(Reason.INVALID_CREDENTIALS);
    assertThat(b.error()).isEqualTo(a.error());
  }

  @Test
  void registerWithAPhoneThroughTheSmsProvider() {
    ParleyClient client = client();
    String phone = "+4915" + (10_000_000 + counter.incrementAndGet() * 7 + encoding.ordinal());
    int before = smsBodies.size();
    client.auth().requestCode(AuthApi.phone(phone));
    await().atMost(WAIT).until(() -> smsBodies.size() > before);
    String body = smsBodies.get(smsBodies.size() - 1);
    assertThat(body).contains(phone);
    Matcher m = Pattern.compile("\\b(\\d{6})\\b").matcher(body.replace(phone, ""));
    assertThat(m.find()).isTrue();

    Credentials creds =
        client
            .auth()
            .register(
                RegisterRequest.newBuilder()
                    .setIdentifier(AuthApi.phone(phone))
                    .setCode(m.group(1))
                    .setDisplayName("Dee")
                    .setDevice(Users.device("phone", Platform.PLATFORM_ANDROID))
                    .build());
    try (Connection c = connect(client, creds)) {
      Account account = Futures.await(c.getAccount()).getAccount();
      assertThat(account.getPhone()).isEqualTo(phone);
      assertThat(account.getHasPassword()).isFalse();
    }
  }

  @Test
  void twoDevicesAtOnce_andRemoteLogoutDisconnectsTheOtherAndKillsItsTokens() {
    ParleyClient client = client();
    String email = email();
    Credentials laptopCreds = Users.register(client, codes, email, "Eve", "laptop");
    Connection laptop = connect(client, laptopCreds);
    EventRecorder laptopEvents = EventRecorder.attach(laptop);

    Credentials phoneCreds = Users.login(client, email, "phone", Platform.PLATFORM_ANDROID);
    Connection phone = connect(client, phoneCreds);
    EventRecorder phoneEvents = EventRecorder.attach(phone);

    Event added = laptopEvents.await(Event.KindCase.SESSION_ADDED, WAIT);
    assertThat(added.getSessionAdded().getSession().getSessionId())
        .isEqualTo(phoneCreds.sessionId());

    List<Session> sessions = Futures.await(laptop.listSessions()).getSessionsList();
    assertThat(sessions)
        .extracting(Session::getSessionId)
        .containsExactlyInAnyOrder(laptopCreds.sessionId(), phoneCreds.sessionId());
    assertThat(sessions)
        .filteredOn(Session::getCurrent)
        .extracting(Session::getDeviceId)
        .containsExactly("laptop");
    assertThat(sessions)
        .filteredOn(s -> s.getDeviceId().equals("phone"))
        .allSatisfy(
            s -> {
              assertThat(s.getPlatform()).isEqualTo(Platform.PLATFORM_ANDROID);
              assertThat(s.getIp()).isEqualTo("127.0.0.1");
              assertThat(s.getLastSeenAtMs()).isPositive();
            });

    Futures.await(laptop.revokeSession(phoneCreds.sessionId()));

    Event revoked = phoneEvents.await(Event.KindCase.SESSION_REVOKED, WAIT);
    assertThat(revoked.getSessionRevoked().getSessionId()).isEqualTo(phoneCreds.sessionId());
    phone.awaitState(State.LOGGED_OUT, WAIT);
    assertThat(phone.lastClose()).map(CloseStatus::code).contains(CloseStatus.SESSION_REVOKED);
    laptopEvents.await(
        e ->
            e.hasSessionRevoked() && e.getSessionRevoked().getSessionId() == phoneCreds.sessionId(),
        WAIT);

    // The phone's tokens fail everywhere: refresh, and a new connection with the old access token.
    assertThat(reasonOf(() -> client.auth().refresh(phoneCreds.refreshToken())))
        .isEqualTo(Reason.INVALID_REFRESH_TOKEN);
    Connection again = client.newConnection(TokenStore.inMemory(phoneCreds)).start();
    again.awaitState(State.LOGGED_OUT, WAIT);

    // The laptop is untouched.
    assertThat(Futures.await(laptop.listSessions()).getSessionsList()).hasSize(1);
    laptop.close();
  }

  @Test
  void refreshRotatesTokens_andAReusedRefreshTokenRevokesTheSession() {
    ParleyClient client = client();
    Credentials first = Users.register(client, codes, email(), "Flo", "laptop");
    Credentials second = client.auth().refresh(first.refreshToken());
    assertThat(second.refreshToken()).isNotEqualTo(first.refreshToken());
    assertThat(second.accessToken()).isNotEqualTo(first.accessToken());
    assertThat(second.sessionId()).isEqualTo(first.sessionId());

    Connection connected = connect(client, second);
    // Within the reuse window (5 s) a repeat gets the same successor back (two tabs refreshing at
    // once).
    assertThat(client.auth().refresh(first.refreshToken()).refreshToken())
        .isEqualTo(second.refreshToken());
    node.clock.advance(Duration.ofSeconds(6));
    assertThat(reasonOf(() -> client.auth().refresh(first.refreshToken())))
        .isEqualTo(Reason.REFRESH_TOKEN_REUSED);

    // Reuse ends the session: the connected device is thrown out and the newest tokens die too.
    connected.awaitState(State.LOGGED_OUT, WAIT);
    assertThat(reasonOf(() -> client.auth().refresh(second.refreshToken())))
        .isEqualTo(Reason.INVALID_REFRESH_TOKEN);
  }

  /**
   * Issue 9 items 12 and "security events", over the WebSocket: changing the password disconnects
   * the other device (session_revoked, reason password_changed), and the user can list what
   * happened.
   */
  @Test
  void changingThePasswordLogsOutTheOtherDevice_andTheSecurityEventsSayWhatHappened() {
    ParleyClient client = client();
    String email = email();
    Credentials laptopCreds = Users.register(client, codes, email, "Ivy", "laptop");
    Credentials phoneCreds = Users.login(client, email, "phone", Platform.PLATFORM_ANDROID);
    try (Connection laptop = connect(client, laptopCreds)) {
      Connection phone = connect(client, phoneCreds);
      EventRecorder phoneEvents = EventRecorder.attach(phone);

      Futures.await(laptop.setPassword(Users.PASSWORD, "a brand new password"));

      Event revoked = phoneEvents.await(Event.KindCase.SESSION_REVOKED, WAIT);
      assertThat(revoked.getSessionRevoked().getReason()).isEqualTo("password_changed");
      phone.awaitState(State.LOGGED_OUT, WAIT);
      assertThat(reasonOf(() -> client.auth().refresh(phoneCreds.refreshToken())))
          .isEqualTo(Reason.INVALID_REFRESH_TOKEN);

      List<SecurityEvent> events =
          Futures.await(laptop.listSecurityEvents(ListSecurityEventsRequest.getDefaultInstance()))
              .getEventsList();
      assertThat(events)
          .extracting(SecurityEvent::getKind)
          .startsWith("session_revoked", "password_changed");
      assertThat(events).extracting(SecurityEvent::getKind).contains("login", "registered");
      assertThat(events.get(0).getSessionId()).isEqualTo(phoneCreds.sessionId());
    }
  }

  /**
   * Issue 9, "security events" for group roles: the message service reports committed role changes
   * through the user service, and each member whose role changed sees it in their own list.
   */
  @Test
  void groupRoleChangesAreSecurityEventsOfTheMemberConcerned() {
    ParleyClient client = client();
    Credentials ownerCreds = Users.register(client, codes, email(), "Olga", "laptop");
    Credentials memberCreds = Users.register(client, codes, email(), "Max", "laptop");
    long owner = ownerCreds.userId();
    long member = memberCreds.userId();
    try (Connection olga = connect(client, ownerCreds);
        Connection max = connect(client, memberCreds)) {
      long group =
          Futures.await(olga.createGroup("team", List.of(member)))
              .getConversation()
              .getConversationId();
      Futures.await(olga.setMemberRole(group, member, Role.ROLE_ADMIN));
      Futures.await(olga.transferOwnership(group, member));

      // Reported after the commit and before the answer.
      assertThat(roleEvents(max))
          .containsExactly(
              "group=" + group + " role=owner by=" + owner,
              "group=" + group + " role=admin by=" + owner);
      assertThat(roleEvents(olga)).containsExactly("group=" + group + " role=admin by=" + owner);
    }
  }

  private static List<String> roleEvents(Connection connection) {
    return Futures.await(
            connection.listSecurityEvents(ListSecurityEventsRequest.getDefaultInstance()))
        .getEventsList()
        .stream()
        .filter(e -> e.getKind().equals("role_changed"))
        .map(SecurityEvent::getDetail)
        .toList();
  }

  @Test
  void anExpiredAccessTokenIsRefreshedByTheSdk() {
    ParleyClient client = client();
    Credentials creds = Users.register(client, codes, email(), "Gus", "laptop");
    node.clock.advance(Duration.ofMinutes(16));
    TokenStore store = TokenStore.inMemory(creds);
    try (Connection c = client.newConnection(store)) {
      c.start().awaitState(State.READY, WAIT);
      assertThat(store.load())
          .hasValueSatisfying(
              now -> assertThat(now.refreshToken()).isNotEqualTo(creds.refreshToken()));
    }
  }

  @Test
  void profileChangesReachTheOtherDevices_andExactLookupFindsTheUser() {
    ParleyClient client = client();
    String email = email();
    Credentials laptopCreds = Users.register(client, codes, email, "Hal", "laptop");
    Credentials phoneCreds = Users.login(client, email, "phone", Platform.PLATFORM_IOS);
    try (Connection laptop = connect(client, laptopCreds);
        Connection phone = connect(client, phoneCreds)) {
      EventRecorder phoneEvents = EventRecorder.attach(phone);
      String username = "hal_" + counter.incrementAndGet() + encoding.ordinal();
      Futures.await(
          laptop.updateProfile(
              UpdateProfileRequest.newBuilder()
                  .setUsername(username)
                  .setDisplayName("Hal 9000")
                  .build()));

      Event updated = phoneEvents.await(Event.KindCase.PROFILE_UPDATED, WAIT);
      assertThat(updated.getProfileUpdated().getProfile().getDisplayName()).isEqualTo("Hal 9000");

      Credentials otherCreds = Users.register(client, codes, email(), "Ivy", "laptop");
      try (Connection other = connect(client, otherCreds)) {
        assertThat(
                Futures.await(
                        other.lookupUser(
                            LookupUserRequest.newBuilder()
                                .setUsername(username.toUpperCase())
                                .build()))
                    .getProfile()
                    .getUserId())
            .isEqualTo(laptopCreds.userId());
        assertThat(
                Futures.await(
                        other.lookupUser(LookupUserRequest.newBuilder().setEmail(email).build()))
                    .getProfile()
                    .getUsername())
            .isEqualTo(username);
        assertThat(
                catchClient(
                        () ->
                            Futures.await(
                                other.lookupUser(
                                    LookupUserRequest.newBuilder()
                                        .setUsername("nobody_here")
                                        .build())))
                    .reason())
            .isEqualTo(Reason.NOT_FOUND);
        assertThat(
                catchClient(
                        () ->
                            Futures.await(
                                other.updateProfile(
                                    UpdateProfileRequest.newBuilder()
                                        .setUsername(username)
                                        .build())))
                    .reason())
            .isEqualTo(Reason.USERNAME_TAKEN);
      }
    }
  }

  @Test
  void logoutEndsTheSession() {
    ParleyClient client = client();
    Credentials creds = Users.register(client, codes, email(), "Jo", "laptop");
    Connection c = connect(client, creds);
    Futures.await(c.logout());
    c.awaitState(State.LOGGED_OUT, WAIT);
    assertThat(reasonOf(() -> client.auth().refresh(creds.refreshToken())))
        .isEqualTo(Reason.INVALID_REFRESH_TOKEN);
  }

  private static ClientException catchClient(Runnable call) {
    try {
      call.run();
    } catch (ClientException e) {
      return e;
    }
    throw new AssertionError("expected a ClientException");
  }

  @Test
  void httpErrorsCarryTheErrorModel() {
    ParleyClient client = client();
    ClientException e =
        catchClient(() -> client.auth().requestCode(AuthApi.email("not an address")));
    assertThat(e.reason()).isEqualTo(Reason.INVALID_IDENTIFIER);
    assertThat(e.code()).isEqualTo(400);
    assertThat(e.error().getField()).isEqualTo("identifier");
  }
}
