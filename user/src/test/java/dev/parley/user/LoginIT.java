package dev.parley.user;

import static dev.parley.user.UserServiceHarness.device;
import static dev.parley.user.UserServiceHarness.email;
import static dev.parley.user.UserServiceHarness.error;
import static dev.parley.user.UserServiceHarness.phone;
import static dev.parley.user.UserServiceHarness.uniqueEmail;
import static dev.parley.user.UserServiceHarness.uniquePhone;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.proto.client.AuthTokens;
import dev.parley.proto.client.Error;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.Identifier;
import dev.parley.proto.client.LoginRequest;
import dev.parley.proto.internal.AuthenticateTokenRequest;
import dev.parley.testkit.PostgresExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ACC-2: login by password or by code, without telling whether an account exists. */
class LoginIT {
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

  @Test
  void logsInWithPassword() {
    Identifier id = email(uniqueEmail());
    AuthTokens registered = users.register(id, "correct horse battery", "laptop");
    AuthTokens tokens =
        users.loginWithPassword(
            email(id.getEmail().toUpperCase()), "correct horse battery", "phone");
    assertThat(tokens.getUserId()).isEqualTo(registered.getUserId());
    assertThat(tokens.getSessionId()).isNotEqualTo(registered.getSessionId());
    var principal =
        users
            .anonymous()
            .authenticate(
                AuthenticateTokenRequest.newBuilder()
                    .setAccessToken(tokens.getAccessToken())
                    .build());
    assertThat(principal.getUserId()).isEqualTo(registered.getUserId());
    assertThat(principal.getSessionId()).isEqualTo(tokens.getSessionId());
    assertThat(principal.getDeviceId()).isEqualTo("phone");
    assertThat(users.counter("parley.user.logins", "method", "password", "outcome", "success"))
        .isPositive();
  }

  @Test
  void logsInWithCode() {
    Identifier id = phone(uniquePhone());
    AuthTokens registered = users.register(id, "", "laptop");
    users.clock.advance(java.time.Duration.ofSeconds(61));
    String code = users.requestCode(id);
    AuthTokens tokens =
        users
            .anonymous()
            .login(
                LoginRequest.newBuilder()
                    .setIdentifier(id)
                    .setCode(code)
                    .setDevice(device("tablet"))
                    .build());
    assertThat(tokens.getUserId()).isEqualTo(registered.getUserId());
  }

  @Test
  void unknownAccountAndWrongPasswordAnswerTheSame() {
    Identifier id = email(uniqueEmail());
    users.register(id, "correct horse battery", "");
    Error wrongPassword = error(() -> users.loginWithPassword(id, "wrong horse battery", ""));
    Error unknownAccount =
        error(() -> users.loginWithPassword(email(uniqueEmail()), "wrong horse battery", ""));
    Identifier withoutPassword = email(uniqueEmail());
    users.register(withoutPassword, "", "");
    Error noPassword =
        error(() -> users.loginWithPassword(withoutPassword, "wrong horse battery", ""));

    assertThat(wrongPassword.getReason()).isEqualTo(Reason.INVALID_CREDENTIALS);
    assertThat(unknownAccount).isEqualTo(wrongPassword);
    assertThat(noPassword).isEqualTo(wrongPassword);
  }

  @Test
  void loginNeedsASecret() {
    Error e =
        error(
            () ->
                users
                    .anonymous()
                    .login(
                        LoginRequest.newBuilder()
                            .setIdentifier(email(uniqueEmail()))
                            .setDevice(device(""))
                            .build()));
    assertThat(e.getReason()).isEqualTo(Reason.INVALID_ARGUMENT);
  }
}
