package dev.parley.push.provider.fcm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.push.provider.PushNotification;
import dev.parley.push.provider.PushOutcome;
import dev.parley.push.provider.PushTarget;
import dev.parley.push.provider.TestNotifications;
import dev.parley.testkit.push.LocalFcm;
import dev.parley.testkit.push.LocalHttpServer;
import dev.parley.testkit.push.LocalHttpServer.Request;
import dev.parley.testkit.push.LocalHttpServer.Response;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FCM client against a local OAuth token endpoint (which verifies the JWT-bearer grant is
 * signed by the service account's key) and a local FCM v1 endpoint (which checks the bearer token
 * and answers by the registration token it is sent to, with FCM's real error bodies).
 */
class FcmPushProviderTest {
  private static final String PROJECT = LocalFcm.PROJECT;
  private static final String SEND = LocalFcm.SEND;
  private static final String EMAIL = LocalFcm.EMAIL;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicInteger issued = new AtomicInteger();
  private final Set<String> valid = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean refuseEveryToken = new AtomicBoolean();
  private final List<JsonNode> messages = new CopyOnWriteArrayList<>();
  private final CountDownLatch slowAnswer = new CountDownLatch(1);
  private KeyPair account;
  private LocalHttpServer google;
  private FcmPushProvider provider;

  @BeforeEach
  void start() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    account = rsa.generateKeyPair();
    google = new LocalHttpServer().route("/token", this::token).route(SEND, this::fcm);
    provider =
        FcmPushProvider.create(config(google.uri("").toString()), registry, Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    slowAnswer.countDown();
    provider.close();
    google.close();
    assertThat(google.failures()).isEmpty();
  }

  /** A service-account key file whose token_uri is the local server ({@link LocalFcm}'s shape). */
  private FcmConfig config(String baseUrl) {
    Path file =
        LocalFcm.writeServiceAccount(dir, account.getPrivate(), google.uri("/token").toString());
    return new FcmConfig(true, file.toString(), "", baseUrl, Duration.ofSeconds(5), 4, 16);
  }

  private static PushNotification message() {
    return TestNotifications.alert(false);
  }

  private PushOutcome send(String token) throws Exception {
    return provider.send(new PushTarget.Fcm(token), message()).get(20, TimeUnit.SECONDS);
  }

  @Test
  void deliversTheV1MessageFieldByField() throws Exception {
    assertThat(send("ok-device")).isEqualTo(new PushOutcome.Delivered());

    JsonNode m = messages.get(0).get("message");
    assertThat(m.get("token").asText()).isEqualTo("ok-device");
    assertThat(m.get("notification").get("title").asText()).isEqualTo("Alice");
    assertThat(m.get("notification").get("body").asText()).isEqualTo("See you at 8?");
    assertThat(JSON.convertValue(m.get("data"), Map.class))
        .isEqualTo(Map.of("conversation_id", "42", "seq", "7", "badge", "3", "thread_id", "c:42"));
    JsonNode android = m.get("android");
    assertThat(android.get("priority").asText()).isEqualTo("HIGH");
    assertThat(android.get("ttl").asText()).isEqualTo("3600s");
    assertThat(android.get("collapse_key").asText()).isEqualTo("c:42");
    assertThat(android.get("notification").get("tag").asText()).isEqualTo("c:42");
    assertThat(android.get("notification").get("notification_count").asInt()).isEqualTo(3);
    assertThat(android.get("notification").get("default_sound").asBoolean()).isTrue();
    assertThat(
            registry
                .get("parley.push.provider.outcomes")
                .tag("provider", "fcm")
                .tag("outcome", "delivered")
                .counter()
                .count())
        .isEqualTo(1.0);
  }

  @Test
  void aSilentPushIsDataOnly() throws Exception {
    PushNotification silent =
        TestNotifications.silent(0, Duration.ZERO, PushNotification.Priority.NORMAL);
    assertThat(provider.send(new PushTarget.Fcm("ok-device"), silent).get(20, TimeUnit.SECONDS))
        .isEqualTo(new PushOutcome.Delivered());
    JsonNode m = messages.get(0).get("message");
    assertThat(m.has("notification")).isFalse();
    assertThat(m.get("android").has("notification")).isFalse();
    assertThat(m.get("android").get("priority").asText()).isEqualTo("NORMAL");
    assertThat(m.get("android").get("ttl").asText()).isEqualTo("0s");
    assertThat(JSON.convertValue(m.get("data"), Map.class))
        .isEqualTo(Map.of("read_up_to", "9", "badge", "0"));
  }

  @Test
  void theAccessTokenIsFetchedOnceAndReused() throws Exception {
    send("ok-1");
    send("ok-2");
    assertThat(google.requests("/token")).hasSize(1);
  }

  @Test
  void unregisteredAndMalformedTokensAreInvalidTargets() throws Exception {
    assertThat(send("gone")).isEqualTo(new PushOutcome.InvalidTarget("UNREGISTERED"));
    assertThat(send("not-a-token")).isEqualTo(new PushOutcome.InvalidTarget("INVALID_ARGUMENT"));
  }

  @Test
  void tooManyRequestsIsRetriedAfterTheSecondsItNames() throws Exception {
    assertThat(send("busy"))
        .isEqualTo(new PushOutcome.RetryLater(Duration.ofSeconds(17), "QUOTA_EXCEEDED"));
  }

  @Test
  void unavailableIsRetriedAndAnInvalidPayloadIsNot() throws Exception {
    assertThat(send("down")).isEqualTo(new PushOutcome.RetryLater(null, "UNAVAILABLE"));
    assertThat(send("bad-payload")).isEqualTo(new PushOutcome.PermanentFailure("INVALID_ARGUMENT"));
    assertThat(google.requests(SEND)).hasSize(2);
  }

  @Test
  void aRefusedAccessTokenIsRefreshedOnceAndTheMessageSentAgain() throws Exception {
    assertThat(send("ok-1")).isEqualTo(new PushOutcome.Delivered());
    valid.clear(); // FCM no longer takes the cached token (revoked, or expired early)

    assertThat(send("ok-2")).isEqualTo(new PushOutcome.Delivered());
    assertThat(google.requests("/token")).hasSize(2);
    List<Request> sends = google.requests(SEND);
    assertThat(sends).hasSize(3);
    assertThat(sends.get(1).header("Authorization")).isEqualTo("Bearer token-1");
    assertThat(sends.get(2).header("Authorization")).isEqualTo("Bearer token-2");
  }

  @Test
  void aServiceAccountFcmKeepsRefusingIsAPermanentFailureAfterOneRefresh() throws Exception {
    refuseEveryToken.set(true);
    assertThat(send("ok-1")).isEqualTo(new PushOutcome.PermanentFailure("UNAUTHENTICATED"));
    assertThat(google.requests(SEND)).hasSize(2);
  }

  @Test
  void anUnreachableFcmIsRetriedLater() throws Exception {
    int closedPort = TestNotifications.closedPort();
    try (FcmPushProvider unreachable =
        FcmPushProvider.create(
            config("http://127.0.0.1:" + closedPort),
            new SimpleMeterRegistry(),
            Clock.systemUTC())) {
      assertThat(unreachable.send(new PushTarget.Fcm("ok-1"), message()).get(20, TimeUnit.SECONDS))
          .isEqualTo(new PushOutcome.RetryLater(null, "unreachable"));
    }
  }

  @Test
  void sendReturnsBeforeFcmAnswers() throws Exception {
    CompletableFuture<PushOutcome> pending = provider.send(new PushTarget.Fcm("slow"), message());
    assertThat(pending).isNotDone();
    slowAnswer.countDown();
    assertThat(pending.get(20, TimeUnit.SECONDS)).isEqualTo(new PushOutcome.Delivered());
  }

  /** The OAuth token endpoint: a JWT-bearer grant signed (RS256) by the service account's key. */
  private Response token(Request request) throws Exception {
    Map<String, String> form = new HashMap<>();
    for (String pair : request.text().split("&")) {
      String[] kv = pair.split("=", 2);
      form.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
    }
    assertThat(form.get("grant_type")).isEqualTo("urn:ietf:params:oauth:grant-type:jwt-bearer");
    String[] jwt = form.get("assertion").split("\\.");
    Base64.Decoder b64 = Base64.getUrlDecoder();
    JsonNode header = JSON.readTree(b64.decode(jwt[0]));
    assertThat(header.get("alg").asText()).isEqualTo("RS256");
    assertThat(header.get("kid").asText()).isEqualTo("key-1");
    Signature rs256 = Signature.getInstance("SHA256withRSA");
    rs256.initVerify(account.getPublic());
    rs256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(rs256.verify(b64.decode(jwt[2]))).as("grant signed by the account's key").isTrue();
    JsonNode claims = JSON.readTree(b64.decode(jwt[1]));
    assertThat(claims.get("iss").asText()).isEqualTo(EMAIL);
    // Google's token endpoint, whatever token_uri says: the library addresses the grant to Google
    // and only posts it to token_uri.
    assertThat(claims.get("aud").asText()).isEqualTo("https://oauth2.googleapis.com/token");
    assertThat(claims.get("scope").asText()).isEqualTo(FcmAccessTokens.SCOPE);
    assertThat(claims.get("exp").asLong()).isGreaterThan(claims.get("iat").asLong());

    String token = "token-" + issued.incrementAndGet();
    valid.add(token);
    return Response.json(
        200, "{\"access_token\":\"" + token + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
  }

  /** The FCM v1 endpoint; answers by registration token, with FCM's error bodies. */
  private Response fcm(Request request) throws Exception {
    String bearer = request.header("Authorization").replaceFirst("^Bearer ", "");
    if (refuseEveryToken.get() || !valid.contains(bearer)) {
      return Response.json(
          401,
          "{\"error\":{\"code\":401,\"message\":\"Request had invalid authentication"
              + " credentials.\",\"status\":\"UNAUTHENTICATED\"}}");
    }
    JsonNode body = JSON.readTree(request.body());
    String token = body.get("message").get("token").asText();
    return switch (token) {
      case "gone" -> error(404, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED");
      case "not-a-token" ->
          error(
              400,
              "INVALID_ARGUMENT",
              "The registration token is not a valid FCM registration token",
              "INVALID_ARGUMENT");
      case "bad-payload" ->
          Response.json(
              400,
              "{\"error\":{\"code\":400,\"message\":\"Invalid value at 'message.android.ttl'\","
                  + "\"status\":\"INVALID_ARGUMENT\",\"details\":[{\"@type\":"
                  + "\"type.googleapis.com/google.rpc.BadRequest\",\"fieldViolations\":"
                  + "[{\"field\":\"message.android.ttl\",\"description\":\"Invalid value\"}]}]}}");
      case "busy" ->
          error(429, "RESOURCE_EXHAUSTED", "Quota exceeded.", "QUOTA_EXCEEDED")
              .withHeader("Retry-After", "17");
      case "down" ->
          error(503, "UNAVAILABLE", "The service is currently unavailable.", "UNAVAILABLE");
      default -> {
        if (token.equals("slow")) slowAnswer.await(30, TimeUnit.SECONDS);
        messages.add(body);
        yield Response.json(200, "{\"name\":\"projects/" + PROJECT + "/messages/1\"}");
      }
    };
  }

  private static Response error(int code, String status, String message, String fcmCode) {
    return LocalFcm.error(code, status, message, fcmCode);
  }
}
