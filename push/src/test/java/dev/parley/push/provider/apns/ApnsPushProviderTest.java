package dev.parley.push.provider.apns;

import static org.assertj.core.api.Assertions.assertThat;

import com.eatthepath.pushy.apns.auth.ApnsVerificationKey;
import com.eatthepath.pushy.apns.auth.AuthenticationToken;
import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import com.eatthepath.pushy.apns.server.PushNotificationHandler;
import com.eatthepath.pushy.apns.server.RejectedNotificationException;
import com.eatthepath.pushy.apns.server.RejectionReason;
import com.eatthepath.pushy.apns.server.UnregisteredDeviceTokenException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.push.dispatch.TestCertificates;
import dev.parley.push.provider.PushNotification;
import dev.parley.push.provider.PushOutcome;
import dev.parley.push.provider.PushTarget;
import dev.parley.push.provider.TestNotifications;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The APNs client against Pushy's {@code MockApnsServer} (HTTP/2 over TLS with a self-signed
 * certificate made here), whose handler verifies the provider token (ES256 by the team's key, key
 * id, team id) as APNs does and answers by device token with APNs's rejection reasons.
 */
class ApnsPushProviderTest {
  private static final String KEY_ID = "KEY1234567";
  private static final String TEAM_ID = "TEAM123456";
  private static final String TOPIC = "dev.parley.app";
  private static final Instant NOW = Instant.parse("2026-12-06T04:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request as the server saw it. */
  private record Received(String server, Map<String, String> headers, JsonNode payload) {}

  @TempDir Path dir;
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();

  @SuppressWarnings("deprecation") // Pushy's servers need this class (see ApnsPushProvider)
  private final io.netty.channel.EventLoopGroup serverLoop =
      new io.netty.channel.nio.NioEventLoopGroup(1);

  private TestCertificates tls;
  private KeyPair teamKey;
  private MockApnsServer production;
  private MockApnsServer sandbox;
  private int productionPort;
  private int sandboxPort;
  private ApnsPushProvider provider;

  @BeforeEach
  void start() throws Exception {
    tls = TestCertificates.create(dir);
    teamKey = ecKey();
    ApnsVerificationKey verification =
        new ApnsVerificationKey(KEY_ID, TEAM_ID, (ECPublicKey) teamKey.getPublic());
    production = server("production", verification);
    sandbox = server("sandbox", verification);
    productionPort = production.start(0).get(10, TimeUnit.SECONDS);
    sandboxPort = sandbox.start(0).get(10, TimeUnit.SECONDS);
    provider = ApnsPushProvider.create(config(teamKey, productionPort), registry, clock);
  }

  @AfterEach
  void stop() throws Exception {
    provider.close();
    production.shutdown().get(10, TimeUnit.SECONDS);
    sandbox.shutdown().get(10, TimeUnit.SECONDS);
    serverLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    assertThat(failures).isEmpty();
  }

  private MockApnsServer server(String name, ApnsVerificationKey verification) throws Exception {
    return new MockApnsServerBuilder()
        .setServerCredentials(tls.cert().toFile(), tls.key().toFile(), null)
        .setEventLoopGroup(serverLoop)
        .setHandlerFactory(session -> handler(name, verification))
        .build();
  }

  /** What APNs does with a request: check the provider token, then answer by device token. */
  private PushNotificationHandler handler(String server, ApnsVerificationKey verification) {
    return (headers, payload) -> {
      CharSequence authorization = headers.get("authorization");
      if (authorization == null || !authorization.toString().startsWith("bearer ")) {
        throw new RejectedNotificationException(RejectionReason.MISSING_PROVIDER_TOKEN);
      }
      AuthenticationToken token = new AuthenticationToken(authorization.toString().substring(7));
      if (!token.verifySignature(verification)
          || !KEY_ID.equals(token.getKeyId())
          || !TEAM_ID.equals(token.getTeamId())) {
        throw new RejectedNotificationException(RejectionReason.INVALID_PROVIDER_TOKEN);
      }
      String path = String.valueOf(headers.path());
      String deviceToken = path.substring(path.lastIndexOf('/') + 1);
      switch (deviceToken.substring(0, 2)) {
        case "b2" -> throw new UnregisteredDeviceTokenException(NOW);
        case "c3" -> throw new RejectedNotificationException(RejectionReason.BAD_DEVICE_TOKEN);
        case "d4" -> throw new RejectedNotificationException(RejectionReason.TOO_MANY_REQUESTS);
        case "e5" -> throw new RejectedNotificationException(RejectionReason.INTERNAL_SERVER_ERROR);
        case "f6" -> throw new RejectedNotificationException(RejectionReason.BAD_TOPIC);
        default -> record(server, headers, payload.toString(StandardCharsets.UTF_8));
      }
    };
  }

  private void record(String server, Http2Headers headers, String payload) {
    try {
      Map<String, String> copy = new java.util.HashMap<>();
      headers.forEach(h -> copy.put(h.getKey().toString(), h.getValue().toString()));
      received.add(new Received(server, copy, JSON.readTree(payload)));
    } catch (Exception | AssertionError e) {
      failures.add(e);
    }
  }

  private ApnsConfig config(KeyPair key, int port) throws Exception {
    Path p8 = dir.resolve("AuthKey_" + KEY_ID + ".p8");
    Files.writeString(
        p8,
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(key.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n");
    return new ApnsConfig(
        true,
        p8.toString(),
        KEY_ID,
        TEAM_ID,
        "127.0.0.1",
        port,
        "127.0.0.1",
        sandboxPort,
        tls.cert().toString(),
        1,
        Duration.ofSeconds(5),
        4,
        16);
  }

  private static KeyPair ecKey() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static String device(String prefix) {
    return (prefix + "0".repeat(64)).substring(0, 64);
  }

  private static PushNotification message() {
    return TestNotifications.alert(true);
  }

  private static PushNotification silent(Integer badge) {
    return TestNotifications.silent(badge, Duration.ofMinutes(5), PushNotification.Priority.HIGH);
  }

  private PushOutcome send(String deviceToken, PushNotification n) throws Exception {
    return send(deviceToken, PushTarget.Apns.Environment.PRODUCTION, n);
  }

  private PushOutcome send(String deviceToken, PushTarget.Apns.Environment env, PushNotification n)
      throws Exception {
    return provider.send(new PushTarget.Apns(deviceToken, env, TOPIC), n).get(20, TimeUnit.SECONDS);
  }

  @Test
  void deliversAnAlertWithBadgeSoundThreadAndCollapseId() throws Exception {
    assertThat(send(device("a1"), message())).isEqualTo(new PushOutcome.Delivered());

    Received r = received.get(0);
    assertThat(r.server()).isEqualTo("production");
    assertThat(r.headers())
        .containsEntry("apns-topic", TOPIC)
        .containsEntry("apns-push-type", "alert")
        .containsEntry("apns-priority", "10")
        .containsEntry("apns-collapse-id", "c:42")
        .containsEntry("apns-expiration", Long.toString(NOW.plusSeconds(3600).getEpochSecond()));
    JsonNode aps = r.payload().get("aps");
    assertThat(aps.get("alert").get("title").asText()).isEqualTo("Alice");
    assertThat(aps.get("alert").get("body").asText()).isEqualTo("See you at 8?");
    assertThat(aps.get("sound").asText()).isEqualTo("default");
    assertThat(aps.get("badge").asInt()).isEqualTo(3);
    assertThat(aps.get("thread-id").asText()).isEqualTo("c:42");
    assertThat(aps.get("mutable-content").asInt()).isEqualTo(1);
    assertThat(r.payload().get("conversation_id").asText()).isEqualTo("42");
    assertThat(r.payload().get("seq").asText()).isEqualTo("7");
  }

  @Test
  void aSilentPushIsABackgroundPushAtPriorityFive() throws Exception {
    assertThat(send(device("a1"), silent(null))).isEqualTo(new PushOutcome.Delivered());
    Received r = received.get(0);
    assertThat(r.headers())
        .containsEntry("apns-push-type", "background")
        .containsEntry("apns-priority", "5")
        .doesNotContainKey("apns-collapse-id");
    JsonNode aps = r.payload().get("aps");
    assertThat(aps.get("content-available").asInt()).isEqualTo(1);
    assertThat(aps.has("alert")).isFalse();
    assertThat(aps.has("badge")).isFalse();
    assertThat(r.payload().get("read_up_to").asText()).isEqualTo("9");
  }

  @Test
  void aSilentBadgeUpdateIsAnAlertTypePushWithOnlyTheBadge() throws Exception {
    assertThat(send(device("a1"), silent(0))).isEqualTo(new PushOutcome.Delivered());
    Received r = received.get(0);
    assertThat(r.headers())
        .containsEntry("apns-push-type", "alert")
        .containsEntry("apns-priority", "5");
    JsonNode aps = r.payload().get("aps");
    assertThat(aps.get("badge").asInt()).isZero();
    assertThat(aps.get("content-available").asInt()).isEqualTo(1);
    assertThat(aps.has("alert")).isFalse();
  }

  @Test
  void sandboxTokensGoToTheSandbox() throws Exception {
    assertThat(send(device("a1"), PushTarget.Apns.Environment.SANDBOX, message()))
        .isEqualTo(new PushOutcome.Delivered());
    assertThat(received).extracting(Received::server).containsExactly("sandbox");
  }

  @Test
  void unregisteredAndBadDeviceTokensAreInvalidTargets() throws Exception {
    assertThat(send(device("b2"), message()))
        .isEqualTo(new PushOutcome.InvalidTarget("Unregistered"));
    assertThat(send(device("c3"), message()))
        .isEqualTo(new PushOutcome.InvalidTarget("BadDeviceToken"));
  }

  @Test
  void tooManyRequestsAndServerErrorsAreRetriedLater() throws Exception {
    assertThat(send(device("d4"), message()))
        .isEqualTo(new PushOutcome.RetryLater(null, "TooManyRequests"));
    assertThat(send(device("e5"), message()))
        .isEqualTo(new PushOutcome.RetryLater(null, "InternalServerError"));
  }

  @Test
  void aBadTopicIsPermanent() throws Exception {
    assertThat(send(device("f6"), message()))
        .isEqualTo(new PushOutcome.PermanentFailure("BadTopic"));
  }

  @Test
  void aProviderTokenSignedWithAnotherKeyIsRefused() throws Exception {
    assertThat(sendWith(config(ecKey(), productionPort)))
        .isEqualTo(new PushOutcome.PermanentFailure("InvalidProviderToken"));
    assertThat(received).isEmpty();
  }

  @Test
  void anUnreachableApnsIsRetriedLater() throws Exception {
    int closedPort = TestNotifications.closedPort();
    assertThat(sendWith(config(teamKey, closedPort)))
        .isEqualTo(new PushOutcome.RetryLater(null, "unreachable"));
  }

  /** One alert to a production token through a provider of its own, closed afterwards. */
  private PushOutcome sendWith(ApnsConfig config) throws Exception {
    try (ApnsPushProvider other =
        ApnsPushProvider.create(config, new SimpleMeterRegistry(), clock)) {
      return other
          .send(
              new PushTarget.Apns(device("a1"), PushTarget.Apns.Environment.PRODUCTION, TOPIC),
              message())
          .get(20, TimeUnit.SECONDS);
    }
  }
}
