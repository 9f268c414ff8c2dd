package dev.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.ByteString;
import dev.parley.client.AuthApi;
import dev.parley.client.Connection;
import dev.parley.client.Futures;
import dev.parley.client.ParleyClient;
import dev.parley.file.store.EmbeddedS3;
import dev.parley.proto.client.CompleteUploadRequest;
import dev.parley.proto.client.CreateUploadRequest;
import dev.parley.proto.client.CreateUploadResponse;
import dev.parley.proto.client.DeviceInfo;
import dev.parley.proto.client.LoginRequest;
import dev.parley.proto.client.Platform;
import dev.parley.proto.client.PresignedRequest;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.TextContent;
import dev.parley.server.deploy.PromqlMetricNames;
import dev.parley.testkit.KafkaExtension;
import dev.parley.testkit.PostgresExtension;
import dev.parley.testkit.RedisExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dashboards (deploy/grafana/dashboards) and alert rules (deploy/prometheus/alerts.yml) name
 * only metrics that a Parley process really exports, or that deploy/exporter-metrics.txt lists with
 * the standard exporter they come from.
 *
 * <p>Starts the cluster roles as processes ({@link ClusterHarness}: user, msg ×2, push, gateway ×2,
 * with an S3 store so that msg hosts the file service), makes the traffic that registers the
 * metrics Parley creates on first use (logins good and bad, messages, an upload, an unmasked
 * WebSocket frame, connections over the per-IP limit, a delivery to a frozen gateway, a Redis
 * pause), scrapes every process's /metrics, and compares. The single node runs the same code as
 * these roles in one process (same registries), so its names are a subset of theirs.
 */
class DeployedMetricsIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  @RegisterExtension static final RedisExtension redis = new RedisExtension();
  @RegisterExtension static final KafkaExtension kafka = new KafkaExtension();
  private static final int PER_IP_LIMIT = 30;
  private static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
  static EmbeddedS3 s3;
  static ClusterHarness cluster;

  @BeforeAll
  static void startCluster() throws IOException {
    Path dir = Files.createTempDirectory("parley-deployed-metrics");
    s3 =
        EmbeddedS3.start(
            dir.resolve("objects"), dir.resolve("keys"), "127.0.0.1", 0, true, List.of());
    cluster =
        ClusterHarness.start(
            "DeployedMetricsIT",
            postgres,
            redis,
            kafka.broker(),
            Map.of(
                "PARLEY_FILE_S3_ENDPOINT", s3.endpoint().toString(),
                "PARLEY_FILE_S3_ACCESS_KEY", s3.accessKey(),
                "PARLEY_FILE_S3_SECRET_KEY", s3.secretKey(),
                "PARLEY_GATEWAY_MAX_CONNECTIONS_PER_IP", Integer.toString(PER_IP_LIMIT)));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
    if (s3 != null) s3.close();
  }

  @Test
  void dashboardsAndAlertRulesNameOnlyExportedMetrics() throws Exception {
    Set<String> exported = new TreeSet<>();
    try (Cast cast = new Cast(cluster, "metrics")) {
      cast.probe("traffic");
      failedLogin(cast);
      upload(cast.device("a1").connection);
      unmaskedWebSocketFrame(cluster.gateway(1));
      connectionsOverThePerIpLimit(cluster.gateway(1));
      deliveryToAFrozenGateway(cast);
      redisPause();
    }
    for (String node : ClusterHarness.NODES) exported.addAll(exportedNames(node));

    Map<String, String> exporterMetrics = exporterMetrics();
    Map<String, Set<String>> used = usedNames();
    Set<String> recorded = recordedNames();
    Map<String, String> missing = new TreeMap<>();
    used.forEach(
        (file, names) -> {
          for (String name : names) {
            boolean known =
                exported.contains(name)
                    || exporterMetrics.containsKey(name)
                    || recorded.contains(name);
            if (!known) missing.merge(name, file, (a, b) -> a + ", " + b);
          }
        });
    assertThat(missing)
        .as(
            "metrics named in deploy/ (name → files) that no Parley process exported and"
                + " deploy/exporter-metrics.txt does not list")
        .isEmpty();

    Set<String> allUsed = new TreeSet<>();
    used.values().forEach(allUsed::addAll);
    assertThat(allUsed)
        .as("every exporter metric listed is used (remove stale entries)")
        .containsAll(exporterMetrics.keySet());
    assertThat(exported)
        .as("exporter-metrics.txt lists only what Parley does not export")
        .doesNotContainAnyElementsOf(exporterMetrics.keySet());
  }

  private static Set<String> exportedNames(String node) {
    Set<String> names = new TreeSet<>();
    for (String line : cluster.get(node, "/metrics").body().lines().toList()) {
      if (line.isBlank() || line.startsWith("#")) continue;
      int end = 0;
      while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') end++;
      names.add(line.substring(0, end));
    }
    assertThat(names).as(node + " exports metrics").isNotEmpty();
    return names;
  }

  /** parley_user_logins_total with a failed outcome (ParleyAuthFailureSpike). */
  private static void failedLogin(Cast cast) {
    try (ParleyClient client = Cast.client(cluster, 1, dev.parley.client.Encoding.JSON)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
          () ->
              client
                  .auth()
                  .login(
                      LoginRequest.newBuilder()
                          .setIdentifier(AuthApi.email(cast.emails.get("a")))
                          .setPassword("not the password")
                          .setDevice(
                              DeviceInfo.newBuilder()
                                  .setDeviceId("intruder")
                                  .setPlatform(Platform.PLATFORM_WEB))
                          .build()));
    }
  }

  /** parley_file_uploads_total and parley_file_verification_seconds: a small text file. */
  private static void upload(Connection connection) throws Exception {
    byte[] content = "metrics".getBytes(StandardCharsets.UTF_8);
    CreateUploadResponse plan =
        Futures.await(
            connection.createUpload(
                CreateUploadRequest.newBuilder()
                    .setSize(content.length)
                    .setMimeType("text/plain")
                    .setSha256(
                        ByteString.copyFrom(MessageDigest.getInstance("SHA-256").digest(content)))
                    .setName("metrics.txt")
                    .build()));
    PresignedRequest put = plan.getSingle().getPut();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(put.getUrl()))
            .method(put.getMethod(), HttpRequest.BodyPublishers.ofByteArray(content));
    put.getHeadersMap().forEach(request::header);
    try (HttpClient http = HttpClient.newHttpClient()) {
      assertThat(http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode())
          .isEqualTo(200);
    }
    Futures.await(
        connection.completeUpload(
            CompleteUploadRequest.newBuilder().setUploadId(plan.getUploadId()).build()));
  }

  /**
   * parley_gateway_client_faults_total and parley_gateway_closes_total: a WebSocket client that
   * sends an unmasked frame (clients must mask theirs), which the gateway closes with 1002.
   */
  private static void unmaskedWebSocketFrame(URI gateway) throws IOException {
    try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /ws HTTP/1.1\r\nHost: "
                  + gateway.getHost()
                  + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                  + "Sec-WebSocket-Protocol: parley.v2.json\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String head = readHead(in);
      assertThat(head).as("WebSocket upgrade").startsWith("HTTP/1.1 101");
      out.write(new byte[] {(byte) 0x81, 0x02, 'h', 'i'});
      out.flush();
      readUntilClosed(in);
    }
  }

  /**
   * parley_redis_failures_total: Redis stops answering for 4 s (CLIENT PAUSE); the gateways'
   * presence checks (four a second) time out meanwhile.
   */
  private static void redisPause() {
    cluster.redis().clientPause(4000);
    await("a Redis failure counted")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> exportedNames("gateway-1").contains("parley_redis_failures_total"));
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) break;
      head.append((char) b);
    }
    return head.toString();
  }

  /** parley_gateway_connections_refused_total: more connections from 127.0.0.1 than allowed. */
  private static void connectionsOverThePerIpLimit(URI gateway) throws IOException {
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < PER_IP_LIMIT + 5; i++) {
        sockets.add(new Socket(gateway.getHost(), gateway.getPort()));
      }
      await("a connection refused at the per-IP limit")
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  exportedNames("gateway-1").contains("parley_gateway_connections_refused_total"));
    } finally {
      for (Socket s : sockets) s.close();
    }
  }

  /**
   * parley_dispatcher_gateway_failures_total: gateway-2, where b1 is connected, is frozen (SIGSTOP:
   * its presence and connections stay), and a1 on gateway-1 writes to b; the dispatcher's Deliver
   * call to gateway-2 misses its deadline. Thawed afterwards.
   */
  private static void deliveryToAFrozenGateway(Cast cast) {
    cluster.signal("gateway-2", "STOP");
    try {
      Futures.await(
          cast.device("a1")
              .messenger
              .send(
                  SendMessageRequest.newBuilder()
                      .setConversationId(cast.ab)
                      .setText(TextContent.newBuilder().setText("to a frozen gateway")),
                  "metrics-frozen-gateway"));
      await("a failed hand-over to the frozen gateway")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> exportedNames("push-1").contains("parley_dispatcher_gateway_failures_total"));
    } finally {
      cluster.signal("gateway-2", "CONT");
    }
  }

  private static void readUntilClosed(InputStream in) throws IOException {
    byte[] buffer = new byte[1024];
    try {
      while (in.read(buffer) >= 0) {
        // The gateway closes the connection; what it sends first does not matter.
      }
    } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
      throw new AssertionError("the gateway did not close the connection", e);
    }
  }

  /** File (relative to deploy/) → the metric names its PromQL expressions read. */
  private static Map<String, Set<String>> usedNames() throws IOException {
    Map<String, Set<String>> used = new TreeMap<>();
    ObjectMapper json = new ObjectMapper();
    try (Stream<Path> files = Files.list(DEPLOY.resolve("grafana/dashboards"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        Set<String> names = new TreeSet<>();
        for (JsonNode expr : json.readTree(file.toFile()).findValues("expr")) {
          names.addAll(PromqlMetricNames.of(expr.asText()));
        }
        assertThat(names).as(file + " names metrics").isNotEmpty();
        used.put(DEPLOY.relativize(file).toString(), names);
      }
    }
    Set<String> names = new TreeSet<>();
    for (JsonNode rule : rules()) names.addAll(PromqlMetricNames.of(rule.path("expr").asText()));
    used.put("prometheus/alerts.yml", names);
    return used;
  }

  private static Set<String> recordedNames() throws IOException {
    Set<String> names = new TreeSet<>();
    for (JsonNode rule : rules()) {
      if (rule.has("record")) names.add(rule.path("record").asText());
    }
    return names;
  }

  private static List<JsonNode> rules() throws IOException {
    JsonNode file =
        new ObjectMapper(new YAMLFactory())
            .readTree(DEPLOY.resolve("prometheus/alerts.yml").toFile());
    List<JsonNode> rules = new ArrayList<>();
    for (JsonNode group : file.path("groups")) group.path("rules").forEach(rules::add);
    return rules;
  }

  /** deploy/exporter-metrics.txt: metric → the exporter it comes from. */
  private static Map<String, String> exporterMetrics() throws IOException {
    Map<String, String> metrics = new TreeMap<>();
    for (String line : Files.readAllLines(DEPLOY.resolve("exporter-metrics.txt"))) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) continue;
      String[] parts = trimmed.split("\\s+", 2);
      assertThat(parts).as("'metric exporter' in exporter-metrics.txt: " + line).hasSize(2);
      metrics.put(parts[0], parts[1]);
    }
    return metrics;
  }
}
