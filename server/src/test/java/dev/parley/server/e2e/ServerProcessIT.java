package dev.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.AuthApi;
import dev.parley.client.Connection;
import dev.parley.client.Connection.State;
import dev.parley.client.Credentials;
import dev.parley.client.Encoding;
import dev.parley.client.Futures;
import dev.parley.client.ParleyClient;
import dev.parley.client.TokenStore;
import dev.parley.proto.client.Platform;
import dev.parley.proto.client.RegisterRequest;
import dev.parley.server.AdminCommand;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server, started the way the README starts it: healthy within 15 s on an empty data
 * directory, keeps its data across a graceful restart and across kill -9 (whose orphaned PostgreSQL
 * the next start cleans up), and leaves no PostgreSQL behind when stopped.
 */
class ServerProcessIT {
  private static final Map<String, String> FAST_HASHING =
      Map.of("PARLEY_USER_PASSWORD_MEMORY_KIB", "1024", "PARLEY_USER_PASSWORD_ITERATIONS", "1");

  @TempDir Path dataDir;

  @Test
  void startsFromNothing_survivesRestartAndKill9_andStopsCleanly() throws Exception {
    long started = System.nanoTime();
    Credentials alice;
    try (ServerProcess server = ServerProcess.start(dataDir, FAST_HASHING)) {
      int port = server.awaitPort(Duration.ofSeconds(60));
      await().atMost(Duration.ofSeconds(15)).until(() -> status(port, "/healthz") == 200);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
      assertThat(status(port, "/readyz")).isEqualTo(200);
      alice = registerThroughTheDevSink(port);
      // Metrics only on the admin port (127.0.0.1 by default), never on the client port.
      int admin = server.awaitAdminPort(Duration.ofSeconds(5));
      assertThat(server.output())
          .contains(
              "Admin endpoints (/healthz, /readyz, /metrics, /audit/user) on http://127.0.0.1:");
      // The sync audit (EXT-8): a fresh account is clean, through the endpoint and the command.
      assertThat(get(admin, "/audit/user?id=" + alice.userId()))
          .startsWith("OK\n")
          .contains("user " + alice.userId());
      assertThat(status(admin, "/audit/user?id=alice")).isEqualTo(400);
      assertThat(
              new picocli.CommandLine(new AdminCommand())
                  .execute(
                      "audit-user",
                      Long.toString(alice.userId()),
                      "--admin",
                      "http://127.0.0.1:" + admin))
          .isZero();
      assertThat(metrics(admin))
          .contains(
              "parley_gateway_requests_total", "jvm_memory_used_bytes", "hikaricp_connections");
      assertThat(status(admin, "/readyz")).isEqualTo(200);
      assertThat(status(port, "/metrics")).isEqualTo(404);

      int exit = server.terminate(Duration.ofSeconds(30));
      assertThat(server.output()).as("exit %d", exit).contains("Gateway stopped");
    }
    assertThat(postgresPid()).isEmpty();

    // Graceful restart: the account is still there.
    try (ServerProcess server = ServerProcess.start(dataDir, FAST_HASHING)) {
      int port = server.awaitPort(Duration.ofSeconds(60));
      assertThat(
              Users.login(client(port), "alice@example.com", "phone", Platform.PLATFORM_ANDROID)
                  .userId())
          .isEqualTo(alice.userId());
      server.kill();
    }
    // kill -9 left PostgreSQL running; the next start must take over the data directory anyway.
    Optional<Long> orphan = postgresPid();
    assertThat(orphan).isPresent();

    try (ServerProcess server = ServerProcess.start(dataDir, FAST_HASHING)) {
      int port = server.awaitPort(Duration.ofSeconds(60));
      ParleyClient client = client(port);
      Credentials tablet =
          Users.login(client, "alice@example.com", "tablet", Platform.PLATFORM_IOS);
      assertThat(tablet.userId()).isEqualTo(alice.userId());
      try (Connection c = client.newConnection(TokenStore.inMemory(tablet))) {
        c.start().awaitState(State.READY, Duration.ofSeconds(10));
        assertThat(Futures.await(c.listSessions()).getSessionsList())
            .hasSizeGreaterThanOrEqualTo(2);
      }
      client.close();
      server.terminate(Duration.ofSeconds(30));
    }
    assertThat(ProcessHandle.of(orphan.get()).map(ProcessHandle::isAlive))
        .isNotEqualTo(Optional.of(true));
    assertThat(postgresPid()).isEmpty();
  }

  private Credentials registerThroughTheDevSink(int port) throws Exception {
    try (ParleyClient client = client(port)) {
      client.auth().requestCode(AuthApi.email("alice@example.com"));
      Path codes = dataDir.resolve("dev-codes.log");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Files.exists(codes) && !Files.readString(codes).isBlank());
      List<String> lines = Files.readAllLines(codes);
      String code = lines.get(lines.size() - 1).split(" ")[1];
      Credentials creds =
          client
              .auth()
              .register(
                  RegisterRequest.newBuilder()
                      .setIdentifier(AuthApi.email("alice@example.com"))
                      .setCode(code)
                      .setPassword(Users.PASSWORD)
                      .setDisplayName("Alice")
                      .setDevice(Users.device("laptop", Platform.PLATFORM_DESKTOP))
                      .build());
      try (Connection c = client.newConnection(TokenStore.inMemory(creds))) {
        c.start().awaitState(State.READY, Duration.ofSeconds(10));
        assertThat(Futures.await(c.getAccount()).getAccount().getEmail())
            .isEqualTo("alice@example.com");
      }
      return creds;
    }
  }

  private Optional<Long> postgresPid() throws Exception {
    Path pid = dataDir.resolve("postgres").resolve("postmaster.pid");
    if (!Files.exists(pid)) return Optional.empty();
    long p = Long.parseLong(Files.readAllLines(pid).get(0).trim());
    return ProcessHandle.of(p).filter(ProcessHandle::isAlive).map(ProcessHandle::pid);
  }

  private static ParleyClient client(int port) {
    return ParleyClient.builder(URI.create("http://127.0.0.1:" + port))
        .encoding(Encoding.PROTOBUF)
        .build();
  }

  private static int status(int port, String path) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static String metrics(int port) throws Exception {
    return get(port, "/metrics");
  }

  private static String get(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
