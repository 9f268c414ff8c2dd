package dev.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.client.Futures;
import dev.parley.proto.client.FcmTarget;
import dev.parley.proto.client.PushTarget;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.TextContent;
import dev.parley.testkit.KafkaExtension;
import dev.parley.testkit.PostgresExtension;
import dev.parley.testkit.RedisExtension;
import dev.parley.testkit.push.LocalFcm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11 in cluster mode: the push role's dispatcher hands each event to Kafka topic parley.push,
 * and its worker notifies the phone through a local FCM. A push that could not be sent when the
 * push role was killed (FCM down, the job unfinished, its offset not committed) is sent after the
 * restart: the queue is durable.
 */
class ClusterPushIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  @RegisterExtension static final RedisExtension redis = new RedisExtension();
  @RegisterExtension static final KafkaExtension kafka = new KafkaExtension();
  static LocalFcm fcm;
  static ClusterHarness cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    fcm = new LocalFcm();
    Path keys = Files.createTempDirectory("parley-cluster-push");
    cluster =
        ClusterHarness.start(
            "ClusterPushIT",
            postgres,
            redis,
            kafka.broker(),
            Map.of(
                "PARLEY_PUSH_PROVIDERS_FCM_ENABLED", "true",
                "PARLEY_PUSH_PROVIDERS_FCM_CREDENTIALS_FILE",
                    fcm.writeServiceAccount(keys).toString(),
                "PARLEY_PUSH_PROVIDERS_FCM_BASE_URL", fcm.baseUrl(),
                "PARLEY_PUSH_RETRY_BASE", "100ms",
                "PARLEY_PUSH_RETRY_MAX", "500ms"));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
    if (fcm != null) {
      assertThat(fcm.failures()).isEmpty();
      fcm.close();
    }
  }

  @Test
  void anOfflinePhoneIsNotifiedAndAPushInFlightSurvivesAKilledPushRole() {
    try (Cast cast = new Cast(cluster, "push")) {
      // a's phone registers its token, then goes into the pocket.
      String token = "fcm:" + UUID.randomUUID();
      ClusterDevice phone = cast.device("a2");
      Futures.await(
          phone.connection.registerPushTarget(
              PushTarget.newBuilder().setFcm(FcmTarget.newBuilder().setToken(token)).build()));
      phone.close();
      ClusterDevice sender = cast.device("b1");

      send(sender, cast.a, "through two gateways and Kafka");
      await().atMost(WAIT).until(() -> fcm.acceptedFor(token).size() >= 1);
      JsonNode first = fcm.acceptedFor(token).get(0);
      assertThat(first.path("notification").path("title").asText()).isEqualTo("B");
      assertThat(first.path("notification").path("body").asText())
          .isEqualTo("through two gateways and Kafka");

      fcm.down();
      long before = fcm.sendsTo(token);
      send(sender, cast.a, "while FCM is down");
      // The worker has the job and is retrying it: it is unfinished, its offset not committed.
      await().atMost(WAIT).until(() -> fcm.sendsTo(token) > before);
      cluster.kill("push-1");
      await().atMost(WAIT).until(() -> !cluster.isAlive("push-1"));
      fcm.up();
      cluster.start("push-1");
      await()
          .atMost(WAIT)
          .until(
              () ->
                  fcm.acceptedFor(token).stream()
                      .anyMatch(
                          p ->
                              p.path("notification")
                                  .path("body")
                                  .asText()
                                  .startsWith("while FCM is down")));
    }
  }

  private static void send(ClusterDevice from, long to, String text) {
    Futures.await(
        from.connection.sendMessage(
            SendMessageRequest.newBuilder()
                .setUserId(to)
                .setClientMsgId(UUID.randomUUID().toString())
                .setText(TextContent.newBuilder().setText(text))
                .build()));
  }
}
