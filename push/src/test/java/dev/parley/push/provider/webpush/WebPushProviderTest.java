package dev.parley.push.provider.webpush;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.push.provider.CollapseKeys;
import dev.parley.push.provider.PushNotification;
import dev.parley.push.provider.PushOutcome;
import dev.parley.push.provider.PushTarget;
import dev.parley.push.provider.TestNotifications;
import dev.parley.testkit.TestCertificates;
import dev.parley.testkit.push.LocalHttpServer.Request;
import dev.parley.testkit.push.LocalHttpServer.Response;
import dev.parley.testkit.push.LocalWebPush;
import dev.parley.testkit.push.LocalWebPush.Received;
import dev.parley.testkit.push.LocalWebPush.Subscription;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Web Push client against a local https push service ({@link LocalWebPush}) that checks what a
 * real one checks (the VAPID JWT: ES256 signature by the key in {@code k}, audience, expiry,
 * subject) and decrypts the body as the browser would (RFC 8291), then answers as push services do.
 * The provider trusts the service's test certificate through its trusted-certificates file.
 */
class WebPushProviderTest {
  private static final String SUBJECT = "mailto:ops@example.com";
  private static final Instant NOW = Instant.parse("2026-12-06T04:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final CountDownLatch slowAnswer = new CountDownLatch(1);
  private TestCertificates tls;
  private LocalWebPush service;
  private Subscription browser;
  private WebPushProvider provider;

  @BeforeEach
  void start() {
    tls = TestCertificates.create(dir);
    service = new LocalWebPush(tls.serverContext());
    browser = service.subscribe();
    // The local push service is on 127.0.0.1: the private-endpoint switch on.
    provider = provider(false, true, tls.ca().toString());
  }

  @AfterEach
  void stop() {
    slowAnswer.countDown();
    provider.close();
    service.close();
    assertThat(service.failures()).isEmpty();
  }

  private WebPushProvider provider(boolean allowHttp, boolean allowPrivate, String trusted) {
    WebPushConfig config =
        new WebPushConfig(
            true,
            SUBJECT,
            service.vapidPublicKey(),
            service.vapidPrivateKey(),
            allowHttp,
            allowPrivate,
            trusted,
            Duration.ofSeconds(5),
            4,
            16);
    return new WebPushProvider(
        config,
        VapidKeyFile.fromBase64Url(config.publicKey(), config.privateKey()),
        new SimpleMeterRegistry(),
        clock);
  }

  private static PushNotification message() {
    return TestNotifications.alert(false);
  }

  private static PushTarget.WebPush target(Subscription s) {
    return new PushTarget.WebPush(s.endpoint(), s.p256dh(), s.auth());
  }

  private static PushTarget.WebPush target(String endpoint, Subscription keys) {
    return new PushTarget.WebPush(endpoint, keys.p256dh(), keys.auth());
  }

  private PushOutcome send(WebPushProvider with, PushTarget.WebPush to, PushNotification n)
      throws Exception {
    return with.send(to, n).get(20, TimeUnit.SECONDS);
  }

  /** A new subscription whose next push is answered with the response. */
  private Subscription answering(Response response) {
    Subscription s = service.subscribe();
    service.answer(s.endpoint(), r -> response, 1);
    return s;
  }

  private PushOutcome sendTo(Subscription s, PushNotification n) throws Exception {
    return send(provider, target(s), n);
  }

  @Test
  void deliversAnEncryptedPayloadWithVapidAndTheHeadersOfTheNotification() throws Exception {
    WebPushProvider counted =
        new WebPushProvider(
            new WebPushConfig(
                true,
                SUBJECT,
                service.vapidPublicKey(),
                service.vapidPrivateKey(),
                false,
                true,
                tls.ca().toString(),
                Duration.ofSeconds(5),
                4,
                16),
            VapidKeyFile.fromBase64Url(service.vapidPublicKey(), service.vapidPrivateKey()),
            registry,
            clock);
    try (counted) {
      assertThat(send(counted, target(browser), message())).isEqualTo(new PushOutcome.Delivered());
    }

    Received received = service.receivedFor(browser.endpoint()).get(0);
    Request request = received.request();
    assertThat(request.header("Content-Encoding")).isEqualTo("aes128gcm");
    assertThat(request.header("TTL")).isEqualTo("3600");
    assertThat(request.header("Urgency")).isEqualTo("high");
    assertThat(request.header("Topic"))
        .isEqualTo(CollapseKeys.hashed("c:42", 32))
        .hasSize(32)
        .matches("[A-Za-z0-9_-]+");
    assertThat(received.vapid().get("sub").asText()).isEqualTo(SUBJECT);

    JsonNode payload = received.payload();
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
    assertThat(sendTo(browser, silent)).isEqualTo(new PushOutcome.Delivered());

    Received received = service.receivedFor(browser.endpoint()).get(0);
    assertThat(received.request().header("Urgency")).isEqualTo("normal");
    assertThat(received.request().header("TTL")).isEqualTo("0");
    assertThat(received.request().headers().containsKey("Topic")).isFalse();
    JsonNode payload = received.payload();
    assertThat(payload.has("title")).isFalse();
    assertThat(payload.get("badge").asInt()).isZero();
    assertThat(payload.get("data").get("read_up_to").asText()).isEqualTo("9");
  }

  @Test
  void goneAndUnknownSubscriptionsAreInvalidTargets() throws Exception {
    assertThat(sendTo(answering(Response.of(410)), message()))
        .isEqualTo(new PushOutcome.InvalidTarget("http-410"));
    assertThat(sendTo(answering(Response.of(404)), message()))
        .isEqualTo(new PushOutcome.InvalidTarget("http-404"));
  }

  @Test
  void tooManyRequestsIsRetriedAfterTheDateItNames() throws Exception {
    Response busy =
        Response.of(429)
            .withHeader(
                "Retry-After",
                DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    NOW.plusSeconds(120).atZone(ZoneOffset.UTC)));
    assertThat(sendTo(answering(busy), message()))
        .isEqualTo(new PushOutcome.RetryLater(Duration.ofSeconds(120), "http-429"));
  }

  @Test
  void serverErrorsAreRetriedAndBadRequestsAreNot() throws Exception {
    assertThat(sendTo(answering(Response.of(503)), message()))
        .isEqualTo(new PushOutcome.RetryLater(null, "http-503"));
    assertThat(sendTo(answering(Response.of(400)), message()))
        .isEqualTo(new PushOutcome.PermanentFailure("http-400"));
    assertThat(sendTo(answering(Response.of(413)), message()))
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
    assertThat(sendTo(browser, huge))
        .isEqualTo(new PushOutcome.PermanentFailure("payload-too-large"));
    assertThat(service.requests()).isEmpty();
  }

  @Test
  void plainHttpEndpointsAreRefusedUnlessConfigured() throws Exception {
    String http = browser.endpoint().replaceFirst("^https:", "http:");
    try (WebPushProvider strict = provider(false, true, tls.ca().toString())) {
      assertThat(send(strict, target(http, browser), message()))
          .isEqualTo(new PushOutcome.InvalidTarget("endpoint-not-https"));
    }
    assertThat(service.requests()).isEmpty();
  }

  @Test
  void aPushServiceWhoseCertificateIsNotTrustedGetsNothing() throws Exception {
    // Without the trusted-certificates file the JDK's trust store decides, and it does not know
    // the test certificate: the TLS handshake fails, as it must for any unknown certificate.
    try (WebPushProvider jdkTrust = provider(false, true, "")) {
      PushOutcome outcome = send(jdkTrust, target(browser), message());
      assertThat(outcome).isInstanceOf(PushOutcome.RetryLater.class);
      assertThat(((PushOutcome.RetryLater) outcome).reason()).startsWith("io: SSL");
    }
    assertThat(service.receivedFor(browser.endpoint())).isEmpty();
  }

  @Test
  void endpointsOnLoopbackOrPrivateAddressesAreRefusedAtSendTimeUnlessConfigured()
      throws Exception {
    int port = URI.create(browser.endpoint()).getPort();
    try (WebPushProvider strict = provider(true, false, tls.ca().toString())) {
      // "localhost" is a name: registration may not have seen through it (nor through any name
      // whose DNS answer changed since), so the addresses it resolves to now are what count.
      for (String endpoint :
          List.of(
              "https://localhost:" + port + "/push/ok",
              "https://127.0.0.1:" + port + "/push/ok",
              "https://[::1]:" + port + "/push/ok",
              "http://10.0.0.1:" + port + "/push/ok",
              "http://169.254.169.254/latest/meta-data")) {
        assertThat(send(strict, target(endpoint, browser), message()))
            .as(endpoint)
            .isEqualTo(new PushOutcome.PermanentFailure("endpoint-not-public"));
      }
    }
    assertThat(service.requests()).isEmpty();

    // With the switch on (as the other tests here run), the loopback push service gets it.
    assertThat(sendTo(browser, message())).isEqualTo(new PushOutcome.Delivered());
  }

  @Test
  void subscriptionKeysThatAreNoP256PointAreInvalidTargets() throws Exception {
    byte[] offCurve = new byte[65];
    offCurve[0] = 4;
    offCurve[64] = 1;
    PushTarget.WebPush bad =
        new PushTarget.WebPush(
            browser.endpoint(),
            Base64.getUrlEncoder().withoutPadding().encodeToString(offCurve),
            browser.auth());
    assertThat(send(provider, bad, message()))
        .isEqualTo(new PushOutcome.InvalidTarget("subscription-keys"));
    assertThat(service.requests()).isEmpty();
  }

  @Test
  void anUnreachablePushServiceIsRetriedLater() throws Exception {
    int closedPort = TestNotifications.closedPort();
    PushOutcome outcome =
        send(provider, target("https://127.0.0.1:" + closedPort + "/push/x", browser), message());
    assertThat(outcome).isEqualTo(new PushOutcome.RetryLater(null, "unreachable"));
  }

  @Test
  void sendReturnsBeforeThePushServiceAnswers() throws Exception {
    Subscription slow = service.subscribe();
    service.answer(
        slow.endpoint(),
        r -> {
          slowAnswer.await(30, TimeUnit.SECONDS);
          return Response.of(201);
        },
        1);
    CompletableFuture<PushOutcome> pending = provider.send(target(slow), message());
    // The service holds its answer until the latch opens: the future cannot be done before.
    assertThat(pending).isNotDone();
    slowAnswer.countDown();
    assertThat(pending.get(20, TimeUnit.SECONDS)).isEqualTo(new PushOutcome.Delivered());
  }

  @Test
  void oneVapidTokenServesManyPushesToTheSameService() throws Exception {
    sendTo(browser, message());
    sendTo(browser, message());
    List<Received> received = service.receivedFor(browser.endpoint());
    assertThat(received.get(1).request().header("Authorization"))
        .isEqualTo(received.get(0).request().header("Authorization"));
  }
}
