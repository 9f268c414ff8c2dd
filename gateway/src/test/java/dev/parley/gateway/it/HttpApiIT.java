package dev.parley.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import dev.parley.common.grpc.CallContext;
import dev.parley.gateway.support.FakeUserService.Seen;
import dev.parley.gateway.support.GatewayHarness;
import dev.parley.gateway.support.TestConfig;
import dev.parley.proto.client.AuthTokens;
import dev.parley.proto.client.Error;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.Identifier;
import dev.parley.proto.client.LoginRequest;
import dev.parley.proto.client.RequestCodeResponse;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The HTTP side: auth bootstrap calls in both encodings, error mapping, health and metrics. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpApiIT {
  private final GatewayHarness h = new GatewayHarness(new TestConfig());

  @AfterAll
  void stop() {
    h.close();
  }

  private HttpResponse<String> postJson(String path, String body) {
    return h.send(
        HttpRequest.newBuilder(h.http(path))
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString(body))
            .build(),
        BodyHandlers.ofString());
  }

  private HttpResponse<byte[]> postProto(String path, byte[] body) {
    return h.send(
        HttpRequest.newBuilder(h.http(path))
            .header("Content-Type", "application/x-protobuf")
            .POST(BodyPublishers.ofByteArray(body))
            .build(),
        BodyHandlers.ofByteArray());
  }

  private static Error jsonError(HttpResponse<String> r) throws Exception {
    Error.Builder e = Error.newBuilder();
    JsonFormat.parser().merge(r.body(), e);
    return e.build();
  }

  @Test
  void loginInJson() throws Exception {
    HttpResponse<String> r =
        postJson(
            "/api/v1/auth/login",
            "{\"identifier\": {\"email\": \"a@b.c\"}, \"password\": \"secret\", \"futureField\":"
                + " 1}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    AuthTokens.Builder t = AuthTokens.newBuilder();
    JsonFormat.parser().merge(r.body(), t);
    assertThat(t.getAccessToken()).isEqualTo("good-7-70");
    assertThat(r.body())
        .contains("\"userId\":\"7\"")
        .doesNotContain("deviceId"); // defaults omitted

    Seen seen = h.users.calls("login").getLast();
    assertThat(seen.caller()).isEqualTo(new CallContext(0, 0, "127.0.0.1"));
  }

  @Test
  void loginInProtobuf() throws Exception {
    LoginRequest req =
        LoginRequest.newBuilder()
            .setIdentifier(Identifier.newBuilder().setEmail("a@b.c"))
            .setPassword("secret")
            .build();
    HttpResponse<byte[]> r = postProto("/api/v1/auth/login", req.toByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
    assertThat(AuthTokens.parseFrom(r.body()).getSessionId()).isEqualTo(70);
  }

  @Test
  void serviceErrorsBecomeTheirHttpStatusInTheRequestEncoding() throws Exception {
    HttpResponse<String> json =
        postJson(
            "/api/v1/auth/login",
            "{\"identifier\": {\"email\": \"a@b.c\"}, \"password\": \"nope\"}");
    assertThat(json.statusCode()).isEqualTo(401);
    assertThat(jsonError(json).getReason()).isEqualTo(Reason.INVALID_CREDENTIALS);

    HttpResponse<byte[]> proto = postProto("/api/v1/auth/register", new byte[0]);
    assertThat(proto.statusCode()).isEqualTo(409);
    assertThat(Error.parseFrom(proto.body()).getReason()).isEqualTo(Reason.ACCOUNT_EXISTS);

    HttpResponse<String> code =
        postJson("/api/v1/auth/code", "{\"identifier\": {\"email\": \"nope\"}}");
    assertThat(code.statusCode()).isEqualTo(400);
    assertThat(jsonError(code).getReason()).isEqualTo(Reason.INVALID_IDENTIFIER);
  }

  @Test
  void requestCodeAndRefreshAreRouted() throws Exception {
    HttpResponse<String> code =
        postJson("/api/v1/auth/code", "{\"identifier\": {\"email\": \"x@y.z\"}}");
    assertThat(code.statusCode()).isEqualTo(200);
    RequestCodeResponse.Builder c = RequestCodeResponse.newBuilder();
    JsonFormat.parser().merge(code.body(), c);
    assertThat(c.getCodeLength()).isEqualTo(6);

    HttpResponse<String> refresh =
        postJson("/api/v1/auth/refresh", "{\"refreshToken\": \"refresh-70\"}");
    assertThat(refresh.statusCode()).isEqualTo(200);
    assertThat(refresh.body()).contains("good-7-71");
  }

  @Test
  void clientMistakes() throws Exception {
    HttpResponse<String> malformed = postJson("/api/v1/auth/login", "{oops");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(jsonError(malformed).getReason()).isEqualTo(Reason.BAD_REQUEST);

    HttpResponse<byte[]> garbage =
        postProto("/api/v1/auth/login", new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(Error.parseFrom(garbage.body()).getReason()).isEqualTo(Reason.BAD_REQUEST);

    HttpResponse<String> text =
        h.send(
            HttpRequest.newBuilder(h.http("/api/v1/auth/login"))
                .header("Content-Type", "text/plain")
                .POST(BodyPublishers.ofString("hi"))
                .build(),
            BodyHandlers.ofString());
    assertThat(text.statusCode()).isEqualTo(415);
    assertThat(jsonError(text).getReason()).isEqualTo(Reason.BAD_REQUEST);

    HttpResponse<String> big =
        postJson("/api/v1/auth/login", "{\"password\": \"" + "x".repeat(5000) + "\"}");
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(jsonError(big).getReason()).isEqualTo(Reason.FRAME_TOO_LARGE);

    HttpResponse<String> unknown = h.get("/api/v1/nothing");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(jsonError(unknown).getReason()).isEqualTo(Reason.NOT_FOUND);

    HttpResponse<String> wrongMethod = h.get("/api/v1/auth/login");
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("POST");

    // Still serving on the same client after all of that.
    assertThat(h.get("/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  void healthAndReadinessButNoMetricsOnTheClientPort() {
    HttpResponse<String> health = h.get("/healthz");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("ok");

    assertThat(h.get("/readyz").body()).isEqualTo("ready");
    h.ready.set(false);
    try {
      HttpResponse<String> notReady = h.get("/readyz");
      assertThat(notReady.statusCode()).isEqualTo(503);
      assertThat(notReady.body()).isEqualTo("not ready");
    } finally {
      h.ready.set(true);
    }

    postJson("/api/v1/auth/login", "{\"password\": \"secret\"}");
    // Metrics tell outsiders too much: the process serves them on its admin port only.
    HttpResponse<String> metrics = h.get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(404);
    assertThat(h.metrics.scrape())
        .contains(
            "parley_gateway_connections{state=\"open\"}",
            "parley_gateway_connections{state=\"authenticated\"}",
            "parley_gateway_requests_total{op=\"login\",outcome=\"ok\"}",
            "parley_gateway_request_latency_seconds_bucket{op=\"login\"");
  }
}
