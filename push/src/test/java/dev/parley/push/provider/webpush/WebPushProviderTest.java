package dev.parley.push.provider.webpush;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.interaso.webpush.VapidKeys;
import dev.parley.push.provider.CollapseKeys;
import dev.parley.push.provider.PushNotification;
import dev.parley.push.provider.PushOutcome;
import dev.parley.push.provider.PushTarget;
import dev.parley.push.provider.TestNotifications;
import dev.parley.testkit.push.LocalHttpServer;
import dev.parley.testkit.push.LocalHttpServer.Request;
import dev.parley.testkit.push.LocalHttpServer.Response;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Web Push client against a local push service that checks what a real one checks (the VAPID
 * JWT: ES256 signature by the key in {@code k}, audience, expiry, subject) and decrypts the body as
 * the browser would (RFC 8291), then answers as push services do.
 */
class WebPushProviderTest {
  private static final String SUBJECT = "mailto:ops@example.com";
  private static final Instant NOW = Instant.parse("2026-12-06T04:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final BrowserSubscription browser = new BrowserSubscription();
  private final List<String> decrypted = new CopyOnWriteArrayList<>();
  private final CountDownLatch slowAnswer = new CountDownLatch(1);
  private LocalHttpServer service;
  private WebPushProvider provider;

  @BeforeEach
  void start() {
    service =
        new LocalHttpServer()
            .route("/push/ok", r -> accept(r, 201))
            .route(
                "/push/slow",
                r -> {
                  slowAnswer.await(30, TimeUnit.SECONDS);
                  return accept(r, 201);
                })
            .route("/push/gone", r -> Response.of(410))
            .route("/push/unknown", r -> Response.of(404))
            .route(
                "/push/busy",
                r ->
                    Response.of(429)
                        .withHeader(
                            "Retry-After",
                            DateTimeFormatter.RFC_1123_DATE_TIME.format(
                                NOW.plusSeconds(120).atZone(ZoneOffset.UTC))))
            .route("/push/down", r -> Response.of(503))
            .route("/push/bad", r -> Response.of(400))
            .route("/push/large", r -> Response.of(413));
    // The local push service is plain http on 127.0.0.1: both test switches on.
    provider = new WebPushProvider(config(true, true), VapidKeys.generate(), registry, clock);
  }

  @AfterEach
  void stop() {
    slowAnswer.countDown();
    provider.close();
    service.close();
    assertThat(service.failures()).isEmpty();
  }

  private static WebPushConfig config(boolean allowHttp, boolean allowPrivate) {
    return new WebPushConfig(
        true, SUBJECT, "", "", allowHttp, allowPrivate, Duration.ofSeconds(5), 4, 16);
  }

  private static PushNotification message() {
    return TestNotifications.alert(false);
  }

  private PushOutcome send(String path, PushNotification n) throws Exception {
    return provider.send(browser.target(service.uri(path).toString()), n).get(20, TimeUnit.SECONDS);
  }

  @Test
  void deliversAnEncryptedPayloadWithVapidAndTheHeadersOfTheNotification() throws Exception {
    assertThat(send("/push/ok", message())).isEqualTo(new PushOutcome.Delivered());

    Request request = service.requests("/push/ok").get(0);
    assertThat(request.header("Content-Encoding")).isEqualTo("aes128gcm");
    assertThat(request.header("TTL")).isEqualTo("3600");
    assertThat(request.header("Urgency")).isEqualTo("high");
    assertThat(request.header("Topic"))
        .isEqualTo(CollapseKeys.hashed("c:42", 32))
        .hasSize(32)
        .matches("[A-Za-z0-9_-]+");

    JsonNode payload = JSON.readTree(decrypted.get(0));
    assertThat(payload.get("title").asText()).isEqualTo("Alice");
    assertThat(payload.get("body").asText()).isEqualTo("See you at 8?");
    assertThat(payload.get("sound").asBoolean()).isTrue();
    assertThat(payload.get("badge").asInt()).isEqualTo(3);
    assertThat(payload.get("tag").asText()).isEqualTo("c:42");
    assertThat(payload.get("thread_id").asText()).isEqualTo("c:42");
    assertThat(JSON.convertValue(payload.get("data"), Map.class))
        .isEqualTo(Map.of("conversation_id", "42", "seq", "7"));
    assertThat(
            registry
                .get("parley.push.provider.outcomes")
                .tag("provider", "webpush")
                .tag("outcome", "delivered")
                .counter()
                .count())
        .isEqualTo(1.0);
  }

  @Test
  void aSilentPushCarriesNoAlertAndGoesAtNormalUrgency() throws Exception {
    PushNotification silent =
        TestNotifications.silent(0, Duration.ZERO, PushNotification.Priority.NORMAL);
    assertThat(send("/push/ok", silent)).isEqualTo(new PushOutcome.Delivered());

    Request request = service.requests("/push/ok").get(0);
    assertThat(request.header("Urgency")).isEqualTo("normal");
    assertThat(request.header("TTL")).isEqualTo("0");
    assertThat(request.headers().containsKey("Topic")).isFalse();
    JsonNode payload = JSON.readTree(decrypted.get(0));
    assertThat(payload.has("title")).isFalse();
    assertThat(payload.get("badge").asInt()).isZero();
    assertThat(payload.get("data").get("read_up_to").asText()).isEqualTo("9");
  }

  @Test
  void goneAndUnknownSubscriptionsAreInvalidTargets() throws Exception {
    assertThat(send("/push/gone", message())).isEqualTo(new PushOutcome.InvalidTarget("http-410"));
    assertThat(send("/push/unknown", message()))
        .isEqualTo(new PushOutcome.InvalidTarget("http-404"));
  }

  @Test
  void tooManyRequestsIsRetriedAfterTheDateItNames() throws Exception {
    assertThat(send("/push/busy", message()))
        .isEqualTo(new PushOutcome.RetryLater(Duration.ofSeconds(120), "http-429"));
  }

  @Test
  void serverErrorsAreRetriedAndBadRequestsAreNot() throws Exception {
    assertThat(send("/push/down", message()))
        .isEqualTo(new PushOutcome.RetryLater(null, "http-503"));
    assertThat(send("/push/bad", message()))
        .isEqualTo(new PushOutcome.PermanentFailure("http-400"));
    assertThat(send("/push/large", message()))
        .isEqualTo(new PushOutcome.PermanentFailure("http-413"));
    // One request each: the provider itself never retries.
    assertThat(service.requests()).hasSize(3);
  }

  @Test
  void aPayloadTooLargeForOneRecordIsRefusedWithoutSending() throws Exception {
    PushNotification huge =
        new PushNotification(
            new PushNotification.Alert("Alice", "x".repeat(4000), false),
            Map.of(),
            null,
            null,
            null,
            Duration.ofHours(1),
            PushNotification.Priority.HIGH,
            false);
    assertThat(send("/push/ok", huge))
        .isEqualTo(new PushOutcome.PermanentFailure("payload-too-large"));
    assertThat(service.requests()).isEmpty();
  }

  @Test
  void plainHttpEndpointsAreRefusedUnlessConfigured() throws Exception {
    try (WebPushProvider strict =
        new WebPushProvider(
            config(false, true), VapidKeys.generate(), new SimpleMeterRegistry(), clock)) {
      PushOutcome outcome =
          strict
              .send(browser.target(service.uri("/push/ok").toString()), message())
              .get(20, TimeUnit.SECONDS);
      assertThat(outcome).isEqualTo(new PushOutcome.InvalidTarget("endpoint-not-https"));
    }
    assertThat(service.requests()).isEmpty();
  }

  @Test
  void endpointsOnLoopbackOrPrivateAddressesAreRefusedAtSendTimeUnlessConfigured()
      throws Exception {
    int port = service.uri("/").getPort();
    try (WebPushProvider strict =
        new WebPushProvider(
            config(true, false), VapidKeys.generate(), new SimpleMeterRegistry(), clock)) {
      // "localhost" is a name: registration may not have seen through it (nor through any name
      // whose DNS answer changed since), so the addresses it resolves to now are what count.
      for (String endpoint :
          List.of(
              "http://localhost:" + port + "/push/ok",
              "http://127.0.0.1:" + port + "/push/ok",
              "http://[::1]:" + port + "/push/ok",
              "http://10.0.0.1:" + port + "/push/ok",
              "http://169.254.169.254/latest/meta-data")) {
        PushOutcome outcome =
            strict.send(browser.target(endpoint), message()).get(20, TimeUnit.SECONDS);
        assertThat(outcome)
            .as(endpoint)
            .isEqualTo(new PushOutcome.PermanentFailure("endpoint-not-public"));
      }
    }
    assertThat(service.requests()).isEmpty();

    // With the switch on (as the other tests here run), the loopback push service gets it.
    assertThat(send("/push/ok", message())).isEqualTo(new PushOutcome.Delivered());
  }

  @Test
  void subscriptionKeysThatAreNoP256PointAreInvalidTargets() throws Exception {
    PushTarget.WebPush good = browser.target(service.uri("/push/ok").toString());
    byte[] offCurve = new byte[65];
    offCurve[0] = 4;
    offCurve[64] = 1;
    PushTarget.WebPush bad =
        new PushTarget.WebPush(
            good.endpoint(),
            Base64.getUrlEncoder().withoutPadding().encodeToString(offCurve),
            good.auth());
    assertThat(provider.send(bad, message()).get(20, TimeUnit.SECONDS))
        .isEqualTo(new PushOutcome.InvalidTarget("subscription-keys"));
    assertThat(service.requests()).isEmpty();
  }

  @Test
  void anUnreachablePushServiceIsRetriedLater() throws Exception {
    int closedPort = TestNotifications.closedPort();
    PushOutcome outcome =
        provider
            .send(browser.target("http://127.0.0.1:" + closedPort + "/push/x"), message())
            .get(20, TimeUnit.SECONDS);
    assertThat(outcome).isEqualTo(new PushOutcome.RetryLater(null, "unreachable"));
  }

  @Test
  void sendReturnsBeforeThePushServiceAnswers() throws Exception {
    CompletableFuture<PushOutcome> pending =
        provider.send(browser.target(service.uri("/push/slow").toString()), message());
    // The service holds its answer until the latch opens: the future cannot be done before.
    assertThat(pending).isNotDone();
    slowAnswer.countDown();
    assertThat(pending.get(20, TimeUnit.SECONDS)).isEqualTo(new PushOutcome.Delivered());
  }

  @Test
  void oneVapidTokenServesManyPushesToTheSameService() throws Exception {
    send("/push/ok", message());
    send("/push/ok", message());
    List<Request> requests = service.requests("/push/ok");
    assertThat(requests.get(1).header("Authorization"))
        .isEqualTo(requests.get(0).header("Authorization"));
  }

  /** Checks the request as a push service does, decrypts it as the browser does, answers. */
  private Response accept(Request request, int status) throws Exception {
    assertThat(request.method()).isEqualTo("POST");
    verifyVapid(request.header("Authorization"));
    decrypted.add(browser.decrypt(request.body()));
    return Response.of(status);
  }

  /** RFC 8292: {@code vapid t=<JWT>, k=<public key>}; ES256 by that key, aud, exp, sub. */
  private void verifyVapid(String authorization) throws Exception {
    assertThat(authorization).startsWith("vapid ");
    Map<String, String> params = new java.util.HashMap<>();
    for (String part : authorization.substring(6).split(",")) {
      String[] kv = part.trim().split("=", 2);
      params.put(kv[0], kv[1]);
    }
    assertThat(params.get("k")).isEqualTo(provider.applicationServerKey());
    String[] jwt = params.get("t").split("\\.");
    assertThat(jwt).hasSize(3);
    Base64.Decoder b64 = Base64.getUrlDecoder();
    JsonNode header = JSON.readTree(b64.decode(jwt[0]));
    assertThat(header.get("alg").asText()).isEqualTo("ES256");

    Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
    es256.initVerify(BrowserSubscription.publicKey(b64.decode(params.get("k"))));
    es256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
    if (!es256.verify(b64.decode(jwt[2])))
      throw new GeneralSecurityException("bad VAPID signature");

    JsonNode claims = JSON.readTree(b64.decode(jwt[1]));
    String origin = "http://127.0.0.1:" + service.uri("/").getPort();
    assertThat(claims.get("aud").asText()).isEqualTo(origin);
    assertThat(claims.get("sub").asText()).isEqualTo(SUBJECT);
    long exp = claims.get("exp").asLong();
    long now = System.currentTimeMillis() / 1000;
    // RFC 8292: in the future, and no more than 24 hours away.
    assertThat(exp).isGreaterThan(now).isLessThanOrEqualTo(now + 24 * 3600);
  }
}
