package dev.parley.user;

import static dev.parley.user.UserServiceHarness.device;
import static dev.parley.user.UserServiceHarness.email;
import static dev.parley.user.UserServiceHarness.error;
import static dev.parley.user.UserServiceHarness.phone;
import static dev.parley.user.UserServiceHarness.reason;
import static dev.parley.user.UserServiceHarness.uniqueEmail;
import static dev.parley.user.UserServiceHarness.uniquePhone;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.proto.client.AuthTokens;
import dev.parley.proto.client.DeviceInfo;
import dev.parley.proto.client.Error;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.GetAccountRequest;
import dev.parley.proto.client.Identifier;
import dev.parley.proto.client.LoginRequest;
import dev.parley.proto.client.Platform;
import dev.parley.proto.client.RegisterRequest;
import dev.parley.proto.client.RequestCodeRequest;
import dev.parley.proto.client.RequestCodeResponse;
import dev.parley.testkit.PostgresExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ACC-1: registration proven by a verification code, and the code rules seen through the service.
 */
class RegistrationIT {
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

  private static RegisterRequest.Builder registration(Identifier id, String code) {
    return RegisterRequest.newBuilder()
        .setIdentifier(id)
        .setCode(code)
        .setDisplayName("Ada")
        .setDevice(device("laptop-1"));
  }

  @Test
  void registersWithEmailAndCode() {
    String address = uniqueEmail();
    RequestCodeResponse answer =
        users
            .anonymous()
            .requestCode(
                RequestCodeRequest.newBuilder()
                    .setIdentifier(email("  " + address.toUpperCase() + " "))
                    .build());
    assertThat(answer.getCodeLength()).isEqualTo(6);
    assertThat(answer.getExpiresInSeconds()).isEqualTo(300);
    assertThat(answer.getResendAfterSeconds()).isEqualTo(60);
    String code = users.awaitCode(address);
    assertThat(code).matches("[0-9]{6}");

    AuthTokens tokens =
        users
            .anonymous()
            .register(registration(email(address), code).setPassword("correct horse").build());

    assertThat(tokens.getUserId()).isPositive();
    assertThat(tokens.getSessionId()).isPositive();
    assertThat(tokens.getDeviceId()).isEqualTo("laptop-1");
    assertThat(tokens.getAccessToken()).matches("[A-Za-z0-9_-]+");
    assertThat(tokens.getRefreshToken()).matches("[A-Za-z0-9_-]{43,}");
    var account = users.as(tokens).getAccount(GetAccountRequest.getDefaultInstance()).getAccount();
    assertThat(account.getEmail()).isEqualTo(address);
    assertThat(account.getHasPassword()).isTrue();
    assertThat(account.getProfile().getDisplayName()).isEqualTo("Ada");
    assertThat(users.counter("parley.user.registrations", "outcome", "success")).isPositive();
  }

  @Test
  void registersWithPhoneWrittenWithSeparators() {
    String number = uniquePhone();
    String typed =
        number.substring(0, 3)
            + " ("
            + number.substring(3, 6)
            + ") "
            + number.substring(6, 9)
            + "-"
            + number.substring(9);
    String code = users.requestCode(phone(typed));
    AuthTokens tokens = users.anonymous().register(registration(phone(typed), code).build());
    var account = users.as(tokens).getAccount(GetAccountRequest.getDefaultInstance()).getAccount();
    assertThat(account.getPhone()).isEqualTo(number);
    assertThat(account.getHasPassword()).isFalse();
  }

  @Test
  void wrongCodeIsRefusedAndTheRightOneStillWorks() {
    Identifier id = email(uniqueEmail());
    String code = users.requestCode(id);
    String wrong = code.equals("000000") ? "111111" : "000000";
    Error e = error(() -> users.anonymous().register(registration(id, wrong).build()));
    assertThat(e.getReason()).isEqualTo(Reason.INVALID_CODE);
    assertThat(e.getField()).isEqualTo("code");
    assertThat(users.anonymous().register(registration(id, code).build()).getUserId()).isPositive();
  }

  @Test
  void expiredCodeIsRefused() {
    Identifier id = email(uniqueEmail());
    String code = users.requestCode(id);
    users.clock.advance(Duration.ofMinutes(5).plusSeconds(1));
    assertThat(reason(() -> users.anonymous().register(registration(id, code).build())))
        .isEqualTo(Reason.INVALID_CODE);
  }

  @Test
  void codeIsSingleUse() {
    Identifier id = email(uniqueEmail());
    String code = users.requestCode(id);
    users.anonymous().register(registration(id, code).build());
    assertThat(reason(() -> users.anonymous().register(registration(id, code).build())))
        .isEqualTo(Reason.INVALID_CODE);
    assertThat(reason(() -> users.anonymous().login(login(id, code))))
        .isEqualTo(Reason.INVALID_CODE);
  }

  @Test
  void tooManyWrongCodesKillTheCode() {
    Identifier id = email(uniqueEmail());
    String code = users.requestCode(id);
    String wrong = code.equals("000000") ? "111111" : "000000";
    for (int i = 1; i < 5; i++) {
      assertThat(reason(() -> users.anonymous().register(registration(id, wrong).build())))
          .isEqualTo(Reason.INVALID_CODE);
    }
    // The fifth wrong try uses up the code; from then on even the right code is refused.
    assertThat(reason(() -> users.anonymous().register(registration(id, wrong).build())))
        .isEqualTo(Reason.CODE_ATTEMPTS_EXCEEDED);
    assertThat(reason(() -> users.anonymous().register(registration(id, code).build())))
        .isEqualTo(Reason.CODE_ATTEMPTS_EXCEEDED);
  }

  @Test
  void resendHasACooldownAndANewCodeReplacesTheOld() {
    String address = uniqueEmail();
    Identifier id = email(address);
    String first = users.requestCode(id);
    Error e =
        error(
            () ->
                users
                    .anonymous()
                    .requestCode(RequestCodeRequest.newBuilder().setIdentifier(id).build()));
    assertThat(e.getReason()).isEqualTo(Reason.CODE_COOLDOWN);
    assertThat(e.getRetryAfterMs()).isBetween(1, 60_000);

    users.clock.advance(Duration.ofSeconds(61));
    String second = users.requestCode(id);
    if (!first.equals(second)) {
      assertThat(reason(() -> users.anonymous().register(registration(id, first).build())))
          .isEqualTo(Reason.INVALID_CODE);
    }
    assertThat(users.anonymous().register(registration(id, second).build()).getUserId())
        .isPositive();
  }

  @Test
  void requestCodeAnswersAlikeForExistingAndUnknownAccounts() {
    Identifier existing = email(uniqueEmail());
    users.register(existing, "", "");
    users.clock.advance(Duration.ofSeconds(61));
    RequestCodeResponse forExisting =
        users
            .anonymous()
            .requestCode(RequestCodeRequest.newBuilder().setIdentifier(existing).build());
    RequestCodeResponse forUnknown =
        users
            .anonymous()
            .requestCode(
                RequestCodeRequest.newBuilder().setIdentifier(email(uniqueEmail())).build());
    assertThat(forExisting).isEqualTo(forUnknown);
    users.awaitCode(existing.getEmail());
  }

  @Test
  void registeringAgainSaysAccountExistsAndLeavesTheCodeForLogin() {
    Identifier id = email(uniqueEmail());
    users.register(id, "", "");
    users.clock.advance(Duration.ofSeconds(61));
    String code = users.requestCode(id);
    Error e = error(() -> users.anonymous().register(registration(id, code).build()));
    assertThat(e.getReason()).isEqualTo(Reason.ACCOUNT_EXISTS);
    assertThat(users.anonymous().login(login(id, code)).getSessionId()).isPositive();
  }

  @Test
  void codeLoginWithoutAccountSaysAccountNotFoundAndLeavesTheCodeForRegistration() {
    Identifier id = email(uniqueEmail());
    String code = users.requestCode(id);
    assertThat(reason(() -> users.anonymous().login(login(id, code))))
        .isEqualTo(Reason.ACCOUNT_NOT_FOUND);
    assertThat(users.anonymous().register(registration(id, code).build()).getUserId()).isPositive();
  }

  @Test
  void invalidIdentifiersAreRefused() {
    for (Identifier bad :
        new Identifier[] {
          email("not-an-address"),
          email("a@b"),
          phone("12345"),
          phone("+12"),
          email("x@" + "a".repeat(260) + ".com")
        }) {
      Error e =
          error(
              () ->
                  users
                      .anonymous()
                      .requestCode(RequestCodeRequest.newBuilder().setIdentifier(bad).build()));
      assertThat(e.getReason()).as(bad.toString()).isEqualTo(Reason.INVALID_IDENTIFIER);
      assertThat(e.getField()).isEqualTo("identifier");
    }
    Error missing =
        error(() -> users.anonymous().requestCode(RequestCodeRequest.getDefaultInstance()));
    assertThat(missing.getReason()).isEqualTo(Reason.INVALID_ARGUMENT);
    assertThat(missing.getField()).isEqualTo("identifier");
  }

  @Test
  void registrationInputIsValidated() {
    Identifier id = email(uniqueEmail());
    assertField(
        registration(id, "123456").setDevice(DeviceInfo.newBuilder().setName("x")),
        Reason.INVALID_ARGUMENT,
        "device.platform");
    assertField(
        registration(id, "123456").setDevice(device("bad id!")),
        Reason.INVALID_ARGUMENT,
        "device.device_id");
    assertField(
        registration(id, "123456").setDevice(device("d".repeat(65))),
        Reason.INVALID_ARGUMENT,
        "device.device_id");
    assertField(
        registration(id, "123456").setDevice(device("ok").toBuilder().setName("n".repeat(65))),
        Reason.INVALID_ARGUMENT,
        "device.name");
    assertField(
        registration(id, "123456").setDisplayName("   "), Reason.INVALID_ARGUMENT, "display_name");
    assertField(
        registration(id, "123456").setDisplayName("x".repeat(65)),
        Reason.INVALID_ARGUMENT,
        "display_name");
    assertField(
        registration(id, "123456").setDisplayName("bad\u0007name"),
        Reason.INVALID_ARGUMENT,
        "display_name");
    assertField(registration(id, "123456").setPassword("short"), Reason.WEAK_PASSWORD, "password");
    assertField(
        registration(id, "123456").setPassword("p".repeat(129)), Reason.WEAK_PASSWORD, "password");
    assertField(registration(id, ""), Reason.INVALID_ARGUMENT, "code");
  }

  @Test
  void emptyDeviceIdGetsAGeneratedOne() {
    Identifier id = email(uniqueEmail());
    String code = users.requestCode(id);
    AuthTokens tokens =
        users
            .anonymous()
            .register(
                registration(id, code)
                    .setDevice(DeviceInfo.newBuilder().setPlatform(Platform.PLATFORM_ANDROID))
                    .build());
    assertThat(tokens.getDeviceId()).matches("[A-Za-z0-9_-]{22}");
  }

  private static void assertField(RegisterRequest.Builder request, Reason reason, String field) {
    Error e = error(() -> users.anonymous().register(request.build()));
    assertThat(e.getReason()).as(field).isEqualTo(reason);
    assertThat(e.getField()).isEqualTo(field);
  }

  private static LoginRequest login(Identifier id, String code) {
    return LoginRequest.newBuilder()
        .setIdentifier(id)
        .setCode(code)
        .setDevice(device("phone-1"))
        .build();
  }
}
