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
import dev.parley.proto.client.Mention;
import dev.parley.proto.client.Platform;
import dev.parley.proto.client.PushService;
import dev.parley.proto.client.PushTarget;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.SendMessageResponse;
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
    return sendText(from, toUser, text).getConversationId();
  }

  private static SendMessageResponse sendText(Connection from, long toUser, String text) {
    return Futures.await(
        from.sendMessage(
            SendMessageRequest.newBuilder()
                .setUserId(toUser)
                .setClientMsgId(UUID.randomUUID().toString())
                .setText(TextContent.newBuilder().setText(text))
                .build()));
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

  @Test
  void anOfflinePhoneIsNotifiedOnceWithSenderAndTextAndNobodyElseIs() throws Exception {
    User eve = user("eve");
    User fay = user("fay");
    Connection eveLaptop = connect(eve.laptop());
    connect(fay.laptop()); // fay reads on her laptop: her phone is still notified, the laptop not
    long conversation = send(eveLaptop, fay.laptop().userId(), "lunch at noon?");
    JsonNode push = awaitPush(fay.token(), 1);
    assertThat(push.path("notification").path("title").asText()).isEqualTo("eve");
    assertThat(push.path("notification").path("body").asText()).isEqualTo("lunch at noon?");
    assertThat(push.path("data").path("conversation_id").asText())
        .isEqualTo(String.valueOf(conversation));
    assertThat(push.path("data").path("badge").asText()).isEqualTo("1");
    Thread.sleep(1000); // a second push, if one were coming, would be on its way by now
    assertThat(fcm.acceptedFor(fay.token())).as("notified once").hasSize(1);
    assertThat(fcm.acceptedFor(eve.token())).as("the sender's own phone").isEmpty();
  }

  private static void settle() throws InterruptedException {
    // Long enough for a push that was coming (or a retry) to have reached the local FCM: the
    // retry back-off here is at most 500 ms.
    Thread.sleep(1500);
  }

  @Test
  void aReadOnTheLaptopClearsThePhoneWithASilentPushCarryingTheSmallerBadge() throws Exception {
    User gus = user("gus");
    User hal = user("hal");
    Connection gusLaptop = connect(gus.laptop());
    Connection halLaptop = connect(hal.laptop());
    long conversation = send(gusLaptop, hal.laptop().userId(), "one");
    long seq = sendText(gusLaptop, hal.laptop().userId(), "two").getSeq();
    JsonNode first = awaitPush(hal.token(), 1);
    assertThat(first.path("data").path("badge").asText()).isEqualTo("1");
    Futures.await(halLaptop.markRead(conversation, seq));
    await()
        .atMost(WAIT)
        .until(
            () ->
                fcm.acceptedFor(hal.token()).stream()
                    .anyMatch(p -> "read".equals(p.path("data").path("kind").asText())));
    JsonNode read =
        fcm.acceptedFor(hal.token()).stream()
            .filter(p -> "read".equals(p.path("data").path("kind").asText()))
            .findFirst()
            .orElseThrow();
    assertThat(read.has("notification")).as("silent").isFalse();
    assertThat(read.path("data").path("badge").asText()).isEqualTo("0");
    assertThat(read.path("data").path("conversation_id").asText())
        .isEqualTo(String.valueOf(conversation));
  }

  @Test
  void aBurstToOneChatBuzzesAtMostTwiceAndTheLastPushCarriesTheNewestMessage() throws Exception {
    User ivy = user("ivy");
    User jay = user("jay");
    Connection ivyLaptop = connect(ivy.laptop());
    for (int i = 1; i <= 6; i++) send(ivyLaptop, jay.laptop().userId(), "m" + i);
    // The first alert goes at once; the other five are merged into one when the window closes.
    JsonNode merged = awaitPush(jay.token(), 2);
    settle();
    settle();
    assertThat(fcm.acceptedFor(jay.token())).hasSize(2);
    assertThat(merged.path("notification").path("body").asText()).startsWith("m6");
    // It replaces the first on the phone (same collapse key), so it stands for all six.
    assertThat(merged.path("data").path("count").asText()).isEqualTo("6");
  }

  @Test
  void aTokenTheProviderNoLongerKnowsIsRemovedAndNotUsedAgain() throws Exception {
    User kim = user("kim");
    User lea = user("lea");
    fcm.refuse(lea.token(), 404, "UNREGISTERED", null, 1);
    Connection kimLaptop = connect(kim.laptop());
    Connection leaLaptop = connect(lea.laptop());
    send(kimLaptop, lea.laptop().userId(), "are you there?");
    await()
        .atMost(WAIT)
        .until(
            () ->
                Futures.await(leaLaptop.listSessions()).getSessionsList().stream()
                    .filter(x -> x.getSessionId() == lea.phone().sessionId())
                    .allMatch(x -> x.getPushService() == PushService.PUSH_SERVICE_UNSPECIFIED));
    assertThat(fcm.sendsTo(lea.token())).isEqualTo(1);
    send(kimLaptop, lea.laptop().userId(), "hello?");
    settle();
    assertThat(fcm.sendsTo(lea.token())).as("never sent to again").isEqualTo(1);
  }

  @Test
  void quotaExceededWithRetryAfterIsRetriedAndABadRequestIsNot() throws Exception {
    User max = user("max");
    User ned = user("ned");
    User oli = user("oli");
    fcm.refuse(ned.token(), 429, "QUOTA_EXCEEDED", 1, 1);
    fcm.refuse(oli.token(), 400, "INVALID_ARGUMENT", null, 1);
    Connection maxLaptop = connect(max.laptop());
    send(maxLaptop, ned.laptop().userId(), "retry me");
    send(maxLaptop, oli.laptop().userId(), "drop me");
    JsonNode retried = awaitPush(ned.token(), 1);
    assertThat(retried.path("notification").path("body").asText()).isEqualTo("retry me");
    assertThat(fcm.sendsTo(ned.token())).isEqualTo(2);
    settle();
    assertThat(fcm.sendsTo(oli.token())).as("400 is not retried").isEqualTo(1);
    assertThat(fcm.acceptedFor(oli.token())).isEmpty();
  }

  @Test
  void whileTheProviderIsDownMessagesFlowAndThePushesGoOutWhenItIsBack() throws Exception {
    User pam = user("pam");
    User quinn = user("quinn");
    Connection pamLaptop = connect(pam.laptop());
    Connection quinnLaptop = connect(quinn.laptop());
    List<String> live = new java.util.concurrent.CopyOnWriteArrayList<>();
    quinnLaptop.onEvent(
        e -> {
          if (e.hasUpdate() && e.getUpdate().hasMessage()) {
            live.add(e.getUpdate().getMessage().getText().getText());
          }
        });
    fcm.down();
    try {
      send(pamLaptop, quinn.laptop().userId(), "during the outage");
      await().atMost(WAIT).until(() -> live.contains("during the outage"));
      await().atMost(WAIT).until(() -> fcm.sendsTo(quinn.token()) >= 2); // being retried
      assertThat(fcm.acceptedFor(quinn.token())).isEmpty();
    } finally {
      fcm.up();
    }
    JsonNode late = awaitPush(quinn.token(), 1);
    assertThat(late.path("notification").path("body").asText()).isEqualTo("during the outage");
  }

  @Test
  void aRevokedSessionLosesItsTokenAndIsNotNotifiedAgain() throws Exception {
    User rex = user("rex");
    User sue = user("sue");
    Connection rexLaptop = connect(rex.laptop());
    Connection sueLaptop = connect(sue.laptop());
    send(rexLaptop, sue.laptop().userId(), "before");
    awaitPush(sue.token(), 1);
    Futures.await(sueLaptop.revokeSession(sue.phone().sessionId()));
    send(rexLaptop, sue.laptop().userId(), "after");
    settle();
    settle();
    assertThat(fcm.sendsTo(sue.token())).isEqualTo(1);
  }

  private static void sendToGroup(Connection from, long group, String text, long mentioned) {
    SendMessageRequest.Builder m =
        SendMessageRequest.newBuilder()
            .setConversationId(group)
            .setClientMsgId(UUID.randomUUID().toString())
            .setText(TextContent.newBuilder().setText(text));
    if (mentioned != 0) {
      m.addMentions(Mention.newBuilder().setUserId(mentioned).setOffset(0).setLength(4));
    }
    Futures.await(from.sendMessage(m.build()));
  }

  /** An alert whose body shows the text (in a group it follows "sender: "). */
  private static boolean alerted(String token, String text) {
    return fcm.acceptedFor(token).stream()
        .anyMatch(p -> p.path("notification").path("body").asText().contains(text));
  }

  @Test
  void aMentionInAMutedGroupAlertsUnlessTheUserTurnedThatOff() throws Exception {
    User tom = user("tom");
    User uma = user("uma");
    Connection tomLaptop = connect(tom.laptop());
    Connection umaLaptop = connect(uma.laptop());
    long umaId = uma.laptop().userId();
    long group =
        Futures.await(tomLaptop.createGroup("walks", List.of(umaId)))
            .getConversation()
            .getConversationId();
    Futures.await(
        umaLaptop.setConversationMute(
            SetConversationMuteRequest.newBuilder()
                .setConversationId(group)
                .setForever(true)
                .build()));
    sendToGroup(tomLaptop, group, "plain chatter", 0);
    sendToGroup(tomLaptop, group, "@uma are you coming?", umaId);
    await().atMost(WAIT).until(() -> alerted(uma.token(), "@uma are you coming?"));
    assertThat(alerted(uma.token(), "plain chatter")).as("muted: badge only").isFalse();

    Futures.await(
        umaLaptop.updateNotifySettings(
            UpdateNotifySettingsRequest.newBuilder().setNotifyMentionsInMuted(false).build()));
    long before = fcm.sendsTo(uma.token());
    sendToGroup(tomLaptop, group, "@uma last call", umaId);
    await().atMost(WAIT).until(() -> fcm.sendsTo(uma.token()) > before);
    settle();
    settle();
    assertThat(alerted(uma.token(), "@uma last call")).as("mentions in muted: off").isFalse();
  }
}
