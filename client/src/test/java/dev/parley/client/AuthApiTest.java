package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.proto.client.DeviceInfo;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.LoginRequest;
import dev.parley.proto.client.Platform;
import dev.parley.proto.client.RegisterRequest;
import dev.parley.proto.client.RequestCodeResponse;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AuthApiTest {
  private FakeServer server;
  private ParleyClient client;

  @BeforeEach
  void startServer() throws Exception {
    server = new FakeServer();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    server.close();
  }

  private AuthApi auth(Encoding encoding) {
    client =
        ParleyClient.builder(server.baseUri())
            .encoding(encoding)
            .requestTimeout(Duration.ofSeconds(2))
            .build();
    return client.auth();
  }

  private static LoginRequest login(String password) {
    return LoginRequest.newBuilder()
        .setIdentifier(AuthApi.email("ada@example.org"))
        .setPassword(password)
        .setDevice(DeviceInfo.newBuilder().setPlatform(Platform.PLATFORM_DESKTOP).setName("test"))
        .build();
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void postsInTheChosenEncoding(Encoding encoding) throws Exception {
    RequestCodeResponse answer = auth(encoding).requestCode(AuthApi.phone("+4915112345678"));

    assertThat(answer.getCodeLength()).isEqualTo(6);
    FakeServer.HttpCall call = server.httpCalls.take();
    assertThat(call.path()).isEqualTo("/api/v1/auth/code");
    assertThat(call.contentType()).isEqualTo(encoding.contentType());
    assertThat(
            encoding
                .merge(call.body(), dev.parley.proto.client.RequestCodeRequest.newBuilder())
                .build()
                .getIdentifier()
                .getPhone())
        .isEqualTo("+4915112345678");
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void registerAndLoginReturnCredentials(Encoding encoding) {
    AuthApi auth = auth(encoding);

    Credentials registered =
        auth.register(
            RegisterRequest.newBuilder()
                .setIdentifier(AuthApi.email("ada@example.org"))
                .setCode("123456")
                .setDisplayName("Ada")
                .build());
    Credentials loggedIn = auth.login(login(FakeServer.PASSWORD));

    for (Credentials c : new Credentials[] {registered, loggedIn}) {
      assertThat(c.userId()).isEqualTo(FakeServer.USER_ID);
      assertThat(c.accessToken()).startsWith("at-");
      assertThat(c.accessTokenExpiresAt()).isAfter(java.time.Instant.now());
      assertThat(c.toString()).doesNotContain(c.accessToken()).doesNotContain(c.refreshToken());
      assertThat(Credentials.of(c.toProto())).isEqualTo(c);
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void errorBodiesBecomeClientExceptions(Encoding encoding) {
    AuthApi auth = auth(encoding);

    assertThatThrownBy(() -> auth.login(login("wrong")))
        .isInstanceOfSatisfying(
            ClientException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.INVALID_CREDENTIALS);
              assertThat(e.code()).isEqualTo(401);
              assertThat(e.getMessage()).contains("INVALID_CREDENTIALS").contains("wrong password");
            });
    assertThat(auth.loginAsync(login("wrong")))
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(ClientException.class);
  }

  @Test
  void retryAfterIsExposed() {
    server.httpOverride =
        path ->
            FakeServer.reply(
                429,
                Encoding.JSON,
                FakeServer.error(429, Reason.CODE_COOLDOWN, "wait").toBuilder()
                    .setRetryAfterMs(1500)
                    .build());

    assertThatThrownBy(() -> auth(Encoding.PROTOBUF).requestCode(AuthApi.email("ada@example.org")))
        .isInstanceOfSatisfying(
            ClientException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.CODE_COOLDOWN);
              assertThat(e.retryAfter()).contains(Duration.ofMillis(1500));
            });
  }

  @Test
  void anErrorPageThatIsNotOursKeepsItsStatus() {
    server.httpOverride =
        path ->
            FakeServer.reply(
                502, "text/html", "<html>Bad Gateway</html>".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> auth(Encoding.JSON).login(login(FakeServer.PASSWORD)))
        .isInstanceOfSatisfying(
            ClientException.class,
            e -> {
              assertThat(e.code()).isEqualTo(502);
              assertThat(e.reason()).isEqualTo(Reason.REASON_UNSPECIFIED);
              assertThat(e.getMessage()).contains("Bad Gateway");
            });
  }

  @Test
  void refreshTokensAreSingleUse() {
    AuthApi auth = auth(Encoding.PROTOBUF);
    Credentials first = auth.login(login(FakeServer.PASSWORD));

    Credentials second = auth.refresh(first.refreshToken());

    assertThat(second.refreshToken()).isNotEqualTo(first.refreshToken());
    assertThatThrownBy(() -> auth.refresh(first.refreshToken()))
        .isInstanceOfSatisfying(
            ClientException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.REFRESH_TOKEN_REUSED));
  }

  @Test
  void anUnreachableServerIsAConnectionException() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    client = ParleyClient.builder(URI.create("http://127.0.0.1:" + port)).build();

    assertThatThrownBy(() -> client.auth().login(login(FakeServer.PASSWORD)))
        .isInstanceOf(ConnectionException.class)
        .hasMessageContaining("/api/v1/auth/login");
  }
}
