package dev.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.proto.client.AuthTokens;
import dev.parley.proto.client.Error;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.LoginRequest;
import dev.parley.proto.client.Platform;
import dev.parley.proto.client.RefreshRequest;
import dev.parley.proto.client.RegisterRequest;
import dev.parley.proto.client.RequestCodeRequest;
import dev.parley.proto.client.RequestCodeResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Runs {@code cli} in-process, as the launcher and the end-to-end tests do, against a canned HTTP
 * server. The WebSocket commands are covered by {@link MessagingCommandsTest} (against a canned
 * gateway) and by the end-to-end tests in the server module.
 */
class CliCommandTest {
  static final AuthTokens TOKENS =
      AuthTokens.newBuilder()
          .setUserId(7318945120780288L)
          .setSessionId(7318945121304576L)
          .setAccessToken("access-1")
          .setAccessTokenExpiresAtMs(1764190800000L)
          .setRefreshToken("refresh-1")
          .setRefreshTokenExpiresAtMs(1766781900000L)
          .build();

  @TempDir Path home;

  final FakeAuthServer server = new FakeAuthServer();
  final Map<String, String> env = new HashMap<>();
  String stdin = "";

  record Run(int exitCode, String out, String err) {}

  @AfterEach
  void stopServer() {
    server.close();
  }

  Run cli(String... args) {
    env.putIfAbsent("PARLEY_CLI_HOME", home.toString());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine =
        new CommandLine(
            new CliCommand(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  ProfileStore profile(String name) {
    return ProfileStore.open(home, name);
  }

  @Test
  void withoutASubcommandItPrintsUsage() {
    Run run = cli();
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("Usage: cli", "whoami", "watch");
    assertThat(run.out()).isEmpty();
  }

  @Command(name = "parley", mixinStandardHelpOptions = true)
  static final class Launcher implements Callable<Integer> {
    @Override
    public Integer call() {
      return 0;
    }
  }

  @Test
  void itRunsAsASubcommandOfTheLauncher() {
    env.put("PARLEY_CLI_HOME", home.toString());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine launcher = new CommandLine(new Launcher());
    launcher.addSubcommand(new CliCommand(env, InputStream.nullInputStream()));
    launcher.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));

    assertThat(launcher.execute("cli", "whoami", "--profile", "work"))
        .isEqualTo(ExitCodes.NOT_LOGGED_IN);
    assertThat(err.toString())
        .startsWith("error: NOT_LOGGED_IN: no saved credentials in profile 'work'");
    assertThat(launcher.execute("cli", "login", "bob")).isEqualTo(ExitCodes.USAGE);
    assertThat(launcher.execute("cli", "--help")).isZero();
    assertThat(out.toString()).contains("Usage: parley cli");
  }

  @Test
  void usageErrorsExitWith2() {
    assertThat(cli("login", "bob", "--password", "x").exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli("login", "bob@example.org").exitCode()).isEqualTo(ExitCodes.USAGE); // no secret
    assertThat(cli("login", "bob@example.org", "--code", "1", "--password", "x").exitCode())
        .isEqualTo(ExitCodes.USAGE);
    assertThat(cli("login", "bob@example.org", "--code", "1", "--platform", "amiga").exitCode())
        .isEqualTo(ExitCodes.USAGE);
    assertThat(cli("lookup").exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli("whoami", "--profile", "../etc").exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli("whoami", "--timeout", "0").exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli("watch", "--count", "0").exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(server.calls()).isEmpty();
  }

  @Test
  void withoutCredentialsACommandExitsWith3() {
    Run run = cli("whoami");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.NOT_LOGGED_IN);
    assertThat(run.err())
        .isEqualTo(
            "error: NOT_LOGGED_IN: no saved credentials in profile 'default'; run 'cli login' or 'cli register'\n");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void codeRequestsAVerificationCode() {
    server.answer(
        "/api/v1/auth/code",
        200,
        RequestCodeResponse.newBuilder()
            .setCodeLength(6)
            .setExpiresInSeconds(300)
            .setResendAfterSeconds(60)
            .build());

    Run run = cli("--server", server.url(), "code", "+4915112345678");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .isEqualTo(
            "sent a 6-digit code to +4915112345678; it expires in 300 s, a new one can be requested in 60 s\n");
    assertThat(
            server
                .lastRequest("/api/v1/auth/code", RequestCodeRequest.getDefaultInstance())
                .getIdentifier()
                .getPhone())
        .isEqualTo("+4915112345678");
  }

  @Test
  void jsonPrintsTheResultMessageAndEncodingChoosesTheBodyFormat() {
    server.answer(
        "/api/v1/auth/code", 200, RequestCodeResponse.newBuilder().setCodeLength(6).build());

    Run run =
        cli("code", "alice@example.com", "--server", server.url(), "--json", "--encoding", "json");

    assertThat(run.out()).isEqualTo("{\"codeLength\":6}\n");
    assertThat(server.calls())
        .singleElement()
        .satisfies(
            call -> {
              assertThat(call.contentType()).isEqualTo("application/json");
              assertThat(new String(call.body(), StandardCharsets.UTF_8))
                  .isEqualTo("{\"identifier\":{\"email\":\"alice@example.com\"}}");
            });
  }

  @Test
  void aServerErrorIsOneLineOnStderr() {
    server.answer(
        "/api/v1/auth/code",
        429,
        Error.newBuilder()
            .setCode(429)
            .setReason(Reason.CODE_COOLDOWN)
            .setMessage("A code was sent moments ago")
            .setRetryAfterMs(42_000)
            .build());

    Run run = cli("--server", server.url(), "code", "alice@example.com");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.err())
        .isEqualTo("error: CODE_COOLDOWN: A code was sent moments ago; retry after 42s\n");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void verbosePrintsTheStackTraceToo() {
    server.answer(
        "/api/v1/auth/code",
        500,
        Error.newBuilder().setCode(500).setReason(Reason.INTERNAL).build());

    Run run = cli("--server", server.url(), "code", "alice@example.com", "-v");

    assertThat(run.err())
        .startsWith("error: INTERNAL\n")
        .contains("dev.parley.client.ClientException", "\tat ");
  }

  @Test
  void anUnreachableServerIsAConnectionFailure() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    env.put("PARLEY_SERVER", "http://127.0.0.1:" + closedPort);

    Run run = cli("code", "alice@example.com");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.err())
        .startsWith("error: CONNECTION_FAILED: cannot reach http://127.0.0.1:" + closedPort + ": ");
  }

  @Test
  void loginSavesTheCredentialsWithADeviceIdKeptInTheProfile() throws IOException {
    server.answer(
        "/api/v1/auth/login", 200, TOKENS.toBuilder().setDeviceId("cli-0123456789abcdef").build());
    stdin = "correct horse battery\nignored\n";

    Run run = cli("--server", server.url() + "/", "login", "alice@example.com", "--password-stdin");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .isEqualTo(
            "logged in as user 7318945120780288 (session 7318945121304576, device "
                + "cli-0123456789abcdef) on "
                + server.url()
                + "; credentials saved to profile 'default'\n");
    LoginRequest sent = server.lastRequest("/api/v1/auth/login", LoginRequest.getDefaultInstance());
    assertThat(sent.getPassword()).isEqualTo("correct horse battery");
    assertThat(sent.getDevice().getPlatform()).isEqualTo(Platform.PLATFORM_DESKTOP);
    assertThat(sent.getDevice().getName()).startsWith("parley-cli on ");
    String deviceId = sent.getDevice().getDeviceId();
    assertThat(deviceId).matches("cli-[0-9a-f]{16}");

    ProfileData saved = profile("default").read();
    assertThat(saved.server()).isEqualTo(server.url()); // without the trailing slash
    assertThat(saved.credentials())
        .hasValueSatisfying(c -> assertThat(c.refreshToken()).isEqualTo("refresh-1"));
    assertThat(Files.readString(profile("default").file()))
        .contains("\"refreshToken\": \"refresh-1\"");

    // The next login from this profile presents the same device id (the server then replaces its
    // session).
    cli("--server", server.url(), "login", "alice@example.com", "--code", "123456");
    assertThat(
            server
                .lastRequest("/api/v1/auth/login", LoginRequest.getDefaultInstance())
                .getDevice()
                .getDeviceId())
        .isEqualTo(profile("default").read().deviceId());
  }

  @Test
  void jsonLoginOutputLeavesTheTokensOut() {
    server.answer("/api/v1/auth/login", 200, TOKENS.toBuilder().setDeviceId("phone-81aa").build());

    Run run =
        cli(
            "--server",
            server.url(),
            "--json",
            "--profile",
            "phone",
            "login",
            "+4915112345678",
            "--code",
            "123456",
            "--device-id",
            "phone-81aa",
            "--platform",
            "android",
            "--device-name",
            "Pixel 9");

    assertThat(run.out())
        .isEqualTo(
            "{\"userId\":\"7318945120780288\",\"sessionId\":\"7318945121304576\","
                + "\"accessTokenExpiresAtMs\":\"1764190800000\",\"refreshTokenExpiresAtMs\":\"1766781900000\","
                + "\"deviceId\":\"phone-81aa\"}\n");
    LoginRequest sent = server.lastRequest("/api/v1/auth/login", LoginRequest.getDefaultInstance());
    assertThat(sent.getCode()).isEqualTo("123456");
    assertThat(sent.getDevice().getDeviceId()).isEqualTo("phone-81aa");
    assertThat(sent.getDevice().getPlatform()).isEqualTo(Platform.PLATFORM_ANDROID);
    assertThat(sent.getDevice().getName()).isEqualTo("Pixel 9");
    assertThat(profile("phone").load()).isPresent();
    assertThat(profile("default").file()).doesNotExist();
  }

  @Test
  void registerSendsCodeNameAndPassword() {
    server.answer("/api/v1/auth/register", 200, TOKENS);

    Run run =
        cli(
            "--server",
            server.url(),
            "register",
            "alice@example.com",
            "--code",
            "482913",
            "--name",
            "Alice",
            "--password",
            "correct horse battery");

    assertThat(run.exitCode()).isZero();
    RegisterRequest sent =
        server.lastRequest("/api/v1/auth/register", RegisterRequest.getDefaultInstance());
    assertThat(sent.getCode()).isEqualTo("482913");
    assertThat(sent.getDisplayName()).isEqualTo("Alice");
    assertThat(sent.getPassword()).isEqualTo("correct horse battery");
    assertThat(profile("default").load()).isPresent();
  }

  @Test
  void laterCommandsGoToTheServerTheProfileLoggedInTo() {
    server.answer("/api/v1/auth/login", 200, TOKENS);
    server.answer(
        "/api/v1/auth/refresh", 200, TOKENS.toBuilder().setRefreshToken("refresh-2").build());
    cli("--server", server.url(), "login", "alice@example.com", "--code", "123456");

    Run run = cli("refresh");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("tokens refreshed; access token valid until ");
    assertThat(
            server
                .lastRequest("/api/v1/auth/refresh", RefreshRequest.getDefaultInstance())
                .getRefreshToken())
        .isEqualTo("refresh-1");
    assertThat(profile("default").load())
        .hasValueSatisfying(c -> assertThat(c.refreshToken()).isEqualTo("refresh-2"));
  }

  @Test
  void aRejectedRefreshTokenDeletesTheCredentialsAndExitsWith3() {
    profile("default").saveLogin(server.url(), dev.parley.client.Credentials.of(TOKENS));
    server.answer(
        "/api/v1/auth/refresh",
        401,
        Error.newBuilder()
            .setCode(401)
            .setReason(Reason.INVALID_REFRESH_TOKEN)
            .setMessage("Unknown or expired refresh token")
            .build());

    Run run = cli("refresh");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.NOT_LOGGED_IN);
    assertThat(run.err())
        .isEqualTo("error: INVALID_REFRESH_TOKEN: Unknown or expired refresh token\n");
    assertThat(profile("default").load()).isEmpty();
  }

  @Test
  void passwordStdinNeedsALine() {
    Run run = cli("--server", server.url(), "login", "alice@example.com", "--password-stdin");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).isEqualTo("error: USAGE: expected a password on standard input\n");
    assertThat(server.calls()).isEmpty();
  }
}
