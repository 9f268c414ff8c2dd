package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.parley.common.grpc.LogContext;
import dev.parley.common.grpc.TraceContext;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Log format and levels: from configuration at start, and at run time through the admin port. */
class LogSetupTest {
  private static final ParleyConfig.NodeConfig SINGLE =
      new ParleyConfig.NodeConfig("single", "", 0, "./data", "development");
  private static final ParleyConfig.NodeConfig MSG =
      new ParleyConfig.NodeConfig("msg", "msg-2", 0, "./data", "production");

  @Test
  void autoIsJsonInClusterModeAndTextOnTheSingleNode() {
    assertThat(LogSetup.json("auto", SINGLE)).isFalse();
    assertThat(LogSetup.json("auto", MSG)).isTrue();
    assertThat(LogSetup.json("JSON", SINGLE)).isTrue();
    assertThat(LogSetup.json("text", MSG)).isFalse();
    assertThatThrownBy(() -> LogSetup.json("xml", MSG)).hasMessageContaining("auto, text or json");
    assertThatThrownBy(() -> LogSetup.level("verbose")).hasMessageContaining("Unknown log level");
    ParleyConfig defaults = ParleyConfig.load(null, Map.of(), Map.of());
    assertThat(defaults.log().format()).isEqualTo("auto");
    assertThat(defaults.log().levels()).isEmpty();
    // The defaults are a single node (node.role: single): human-readable lines.
    assertThat(LogSetup.json(defaults.log().format(), defaults.node())).isFalse();
    assertThat(LogSetup.json("auto", new ParleyConfig.NodeConfig("", "", 0, "d", "x"))).isFalse();
  }

  @Test
  void jsonLinesNameTheServiceRoleAndInstance_andTheRequestsTraceAndCaller() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    var encoder = LogSetup.jsonEncoder(context, MSG);
    LoggingEvent event =
        new LoggingEvent(
            "x",
            context.getLogger("dev.parley.msg.Test"),
            Level.INFO,
            "sent {}",
            null,
            new Object[] {3});
    LoggingEvent inRequest;
    String traceId = TraceContext.newTraceId();
    try (LogContext ignored = LogContext.open(traceId, 7, 8)) {
      inRequest =
          new LoggingEvent(
              "x", context.getLogger("dev.parley.msg.Test"), Level.WARN, "slow", null, null);
      inRequest.prepareForDeferredProcessing(); // takes the MDC, as an appender does
    }
    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
    assertThat(new String(encoder.encode(inRequest), StandardCharsets.UTF_8))
        .contains("\"trace_id\":\"" + traceId + "\"", "\"user_id\":\"7\"", "\"session_id\":\"8\"");
    assertThat(line).doesNotContain("trace_id", "user_id");
    assertThat(line)
        .contains("\"service\":\"parley\"", "\"role\":\"msg\"", "\"instance\":\"msg-2\"")
        .contains("\"message\":\"sent 3\"", "\"level\":\"INFO\"")
        .endsWith("\n");
    assertThat(LogSetup.customFields(SINGLE)).contains("\"role\":\"single\"");
  }

  @Test
  void levelsChangeAtRunTimeThroughTheAdminPort() throws Exception {
    String name = "dev.parley.logsetuptest";
    try (AdminServer admin =
        new AdminServer(
            new AdminConfig("127.0.0.1", 0),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            () -> true)) {
      HttpResponse<String> set = post(admin, "/loggers?name=" + name + "&level=debug");
      assertThat(set.statusCode()).isEqualTo(200);
      assertThat(set.body()).isEqualTo(name + "=DEBUG\n");
      assertThat(LoggerFactory.getLogger(name).isDebugEnabled()).isTrue();
      assertThat(get(admin, "/loggers").body()).contains(name + "=DEBUG");

      assertThat(post(admin, "/loggers?name=" + name + "&level=loud").statusCode()).isEqualTo(400);
      assertThat(post(admin, "/loggers?name=" + name).statusCode()).isEqualTo(400);
      assertThat(post(admin, "/loggers?name=ROOT&level=inherit").statusCode()).isEqualTo(400);

      assertThat(post(admin, "/loggers?name=" + name + "&level=inherit").statusCode())
          .isEqualTo(200);
      assertThat(get(admin, "/loggers").body()).doesNotContain(name);
    }
  }

  private static HttpResponse<String> post(AdminServer admin, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + path))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(AdminServer admin, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
