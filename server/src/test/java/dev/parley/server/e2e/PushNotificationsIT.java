package dev.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.client.Connection;
import dev.parley.client.Connection.State;
import dev.parley.client.Credentials;
import dev.parley.client.Encoding;
import dev.parley.client.Futures;
import dev.parley.client.ParleyClient;
import dev.parley.client.TokenStore;
import dev.parley.proto.client.FcmTarget;
import dev.parley.proto.client.Platform;
import dev.parley.proto.client.PushTarget;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.SetConversationMuteRequest;
import dev.parley.proto.client.TextContent;
import dev.parley.proto.client.UpdateNotifySettingsRequest;
import dev.parley.testkit.PostgresExtension;
import dev.parley.testkit.push.LocalFcm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11 items 2, 5 and 7 end to end: a single node whose push pipeline sends to a local FCM
 * (OAuth token endpoint and v1 API, {@link LocalFcm}), with users on Android phones that are not
 * connected and laptops that are, driven over the WebSocket protocol.
 */
class PushNotificationsIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  static LocalFcm fcm;
  static TestNode node;
  static DevCodes codes;
  final List<Connection> connections = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    fcm = new LocalFcm();
    Path keys = Files.createTempDirectory("parley-push-it");
    node =
        TestNode.start(
            postgres,
            Map.of(
                "push.providers.fcm.enabled", "true",
                "push.providers.fcm.credentials-file", fcm.writeServiceAccount(keys).toString(),
                "push.providers.fcm.base-url", fcm.baseUrl(),
                "push.retry-base", "100ms",
                "push.retry-max", "500ms"));
    codes = new DevCodes(node.dataDir);
  }

  @AfterAll
  static void stop() {
    node.close();
    assertThat(fcm.failures()).isEmpty();
    fcm.close();
  }

  @AfterEach
  void closeConnections() {
    connections.forEach(Connection::close);
  }

  private Connection connect(Credentials credentials) {
    Connection c = node.client(Encoding.JSON).newConnection(TokenStore.inMemory(credentials));
    c.start().awaitState(State.READY, WAIT);
    connections.add(c);
    return c;
  }

  /** A user: a laptop (connected while the test runs) and an Android phone that is not. */
  private record User(String email, Credentials laptop, Credentials phone, String token) {}

  private User user(String name) {
    ParleyClient client = node.client(Encoding.JSON);
    String email = DevCodes.uniqueEmail(name);
    Credentials laptop = codes.register(client, email, name, name + "-laptop");
    Credentials phone = Users.login(client, email, name + "-phone", Platform.PLATFORM_ANDROID);
    String token = "fcm:" + UUID.randomUUID();
    Connection c = connect(phone);
    Futures.await(c.registerPushTarget(fcm(token)));
    c.close(); // the phone goes into the pocket: not connected any more
    connections.remove(c);
    return new User(email, laptop, phone, token);
  }

  private static PushTarget fcm(String token) {
    return PushTarget.newBuilder().setFcm(FcmTarget.newBuilder().setToken(token)).build();
  }

  private static long send(Connection from, long toUser, String text) {
    return Futures.await(
            from.sendMessage(
                SendMessageRequest.newBuilder()
                    .setUserId(toUser)
                    .setClientMsgId(UUID.randomUUID().toString())
                    .setText(TextContent.newBuilder().setText(text))
                    .build()))
        .getConversationId();
  }

  private static JsonNode awaitPush(String token, int count) {
    await().atMost(WAIT).until(() -> fcm.acceptedFor(token).size() >= count);
    return fcm.acceptedFor(token).get(count - 1);
  }

  @Test
  void hiddenPreviewsSayNewMessageOnlyAndAMutedChatOnlyUpdatesTheBadgeUntilTheMuteEnds() {
    User cat = user("cat");
    User dan = user("dan");
    Connection catLaptop = connect(cat.laptop());
    Connection danLaptop = connect(dan.laptop());
    Futures.await(
        danLaptop.updateNotifySettings(
            UpdateNotifySettingsRequest.newBuilder().setShowPreviews(false).build()));
    long conversation = send(catLaptop, dan.laptop().userId(), "the secret plan");
    JsonNode hidden = awaitPush(dan.token(), 1);
    assertThat(hidden.path("notification").path("title").asText()).isEqualTo("Parley");
    assertThat(hidden.path("notification").path("body").asText()).isEqualTo("New message");
    assertThat(hidden.toString()).doesNotContain("secret");

    Futures.await(
        danLaptop.setConversationMute(
            SetConversationMuteRequest.newBuilder()
                .setConversationId(conversation)
                .setUntilMs(node.clock.millis() + Duration.ofHours(1).toMillis())
                .build()));
    send(catLaptop, dan.laptop().userId(), "still there?");
    JsonNode muted = awaitPush(dan.token(), 2);
    assertThat(muted.has("notification")).as("muted: no alert").isFalse();
    assertThat(muted.path("data").path("badge").asText()).isEqualTo("2");

    node.clock.advance(Duration.ofHours(2)); // the timed mute has ended
    // A new connection: the old access token has expired with the clock.
    Connection catAgain = connect(cat.laptop());
    send(catAgain, dan.laptop().userId(), "hello?");
    JsonNode after = awaitPush(dan.token(), 3);
    assertThat(after.path("notification").path("body").asText()).isEqualTo("New message");
  }
}
