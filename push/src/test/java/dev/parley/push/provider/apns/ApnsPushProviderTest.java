package dev.parley.push.provider.apns;

import static org.assertj.core.api.Assertions.assertThat;

import com.eatthepath.pushy.apns.server.RejectionReason;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.push.provider.PushNotification;
import dev.parley.push.provider.PushOutcome;
import dev.parley.push.provider.PushTarget;
import dev.parley.push.provider.TestNotifications;
import dev.parley.testkit.push.LocalApns;
import dev.parley.testkit.push.LocalApns.Received;
import dev.parley.testkit.push.P256;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The APNs client against a local APNs ({@link LocalApns}: Pushy's {@code MockApnsServer}, HTTP/2
 * over TLS with a self-signed certificate), which verifies the provider token (ES256 by the team's
 * key, key id, team id) as APNs does and answers with APNs's rejection reasons where scripted.
 */
class ApnsPushProviderTest {
  private static final String TOPIC = "dev.parley.app";
  private static final Instant NOW = Instant.parse("2026-12-06T04:00:00Z");

  @TempDir Path dir;
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private LocalApns apns;
  private ApnsPushProvider provider;

  @BeforeEach
  void start() throws Exception {
    apns = new LocalApns(dir);
    provider =
        ApnsPushProvider.create(
            config(apns.writeSigningKey(dir), apns.productionPort()), registry, clock);
  }

  @AfterEach
  void stop() {
    provider.close();
    apns.close();
    assertThat(apns.failures()).isEmpty();
  }

  private ApnsConfig config(Path p8, int productionPort) {
    return new ApnsConfig(
        true,
        p8.toString(),
        LocalApns.KEY_ID,
        LocalApns.TEAM_ID,
        "127.0.0.1",
        productionPort,
        "127.0.0.1",
        apns.sandboxPort(),
        apns.trustedCertificates().toString(),
        1,
        Duration.ofSeconds(5),
        4,
        16);
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

    Received r = apns.received().get(0);
    assertThat(r.environment()).isEqualTo("production");
    assertThat(r.headers())
        .containsEntry("apns-topic", TOPIC)
        .containsEntry("apns-push-type", "alert")
        .containsEntry("apns-priority", "10")
        .containsEntry("apns-collapse-id", "c:42")
        .containsEntry("apns-expiration", Long.toString(NOW.plusSeconds(3600).getEpochSecond()));
    JsonNode aps = r.aps();
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
    Received r = apns.received().get(0);
    assertThat(r.headers())
        .containsEntry("apns-push-type", "background")
        .containsEntry("apns-priority", "5")
        .doesNotContainKey("apns-collapse-id");
    JsonNode aps = r.aps();
    assertThat(aps.get("content-available").asInt()).isEqualTo(1);
    assertThat(aps.has("alert")).isFalse();
    assertThat(aps.has("badge")).isFalse();
    assertThat(r.payload().get("read_up_to").asText()).isEqualTo("9");
  }

  @Test
  void aSilentBadgeUpdateIsAnAlertTypePushWithOnlyTheBadge() throws Exception {
    assertThat(send(device("a1"), silent(0))).isEqualTo(new PushOutcome.Delivered());
    Received r = apns.received().get(0);
    assertThat(r.headers())
        .containsEntry("apns-push-type", "alert")
        .containsEntry("apns-priority", "5");
    JsonNode aps = r.aps();
    assertThat(aps.get("badge").asInt()).isZero();
    assertThat(aps.get("content-available").asInt()).isEqualTo(1);
    assertThat(aps.has("alert")).isFalse();
  }

  @Test
  void sandboxTokensGoToTheSandbox() throws Exception {
    assertThat(send(device("a1"), PushTarget.Apns.Environment.SANDBOX, message()))
        .isEqualTo(new PushOutcome.Delivered());
    assertThat(apns.received()).extracting(Received::environment).containsExactly("sandbox");
  }

  @Test
  void unregisteredAndBadDeviceTokensAreInvalidTargets() throws Exception {
    apns.unregister(device("b2")).refuse(device("c3"), RejectionReason.BAD_DEVICE_TOKEN, 1);
    assertThat(send(device("b2"), message()))
        .isEqualTo(new PushOutcome.InvalidTarget("Unregistered"));
    assertThat(send(device("c3"), message()))
        .isEqualTo(new PushOutcome.InvalidTarget("BadDeviceToken"));
  }

  @Test
  void tooManyRequestsAndServerErrorsAreRetriedLater() throws Exception {
    apns.refuse(device("d4"), RejectionReason.TOO_MANY_REQUESTS, 1)
        .refuse(device("e5"), RejectionReason.INTERNAL_SERVER_ERROR, 1);
    assertThat(send(device("d4"), message()))
        .isEqualTo(new PushOutcome.RetryLater(null, "TooManyRequests"));
    assertThat(send(device("e5"), message()))
        .isEqualTo(new PushOutcome.RetryLater(null, "InternalServerError"));
  }

  @Test
  void aBadTopicIsPermanent() throws Exception {
    apns.refuse(device("f6"), RejectionReason.BAD_TOPIC, 1);
    assertThat(send(device("f6"), message()))
        .isEqualTo(new PushOutcome.PermanentFailure("BadTopic"));
  }

  @Test
  void aProviderTokenSignedWithAnotherKeyIsRefused() throws Exception {
    PrivateKey unknown = P256.generate().getPrivate();
    Path other = dir.resolve("other");
    java.nio.file.Files.createDirectories(other);
    assertThat(sendWith(config(LocalApns.writeSigningKey(other, unknown), apns.productionPort())))
        .isEqualTo(new PushOutcome.PermanentFailure("InvalidProviderToken"));
    assertThat(apns.received()).isEmpty();
  }

  @Test
  void anUnreachableApnsIsRetriedLater() throws Exception {
    int closedPort = TestNotifications.closedPort();
    assertThat(sendWith(config(apns.writeSigningKey(dir), closedPort)))
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
