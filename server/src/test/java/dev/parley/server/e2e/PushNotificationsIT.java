package dev.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eatthepath.pushy.apns.server.RejectionReason;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.client.Connection;
import dev.parley.client.Connection.State;
import dev.parley.client.Credentials;
import dev.parley.client.Encoding;
import dev.parley.client.Futures;
import dev.parley.client.ParleyClient;
import dev.parley.client.TokenStore;
import dev.parley.proto.client.ApnsTarget;
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
import dev.parley.proto.client.WebPushTarget;
import dev.parley.testkit.PostgresExtension;
import dev.parley.testkit.TestCertificates;
import dev.parley.testkit.push.LocalApns;
import dev.parley.testkit.push.LocalFcm;
import dev.parley.testkit.push.LocalHttpServer.Response;
import dev.parley.testkit.push.LocalWebPush;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
  private static final String IOS_APP = "dev.parley.ios";
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  static LocalFcm fcm;
  static LocalApns apns;
  static LocalWebPush webPush;
  static TestNode node;
  static DevCodes codes;
  final List<Connection> connections = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    fcm = new LocalFcm();
    Path keys = Files.createTempDirectory("parley-push-it");
    apns = new LocalApns(keys);
    TestCertificates tls = TestCertificates.create(Files.createDirectories(keys.resolve("web")));
    webPush = new LocalWebPush(tls.serverContext());
    Map<String, String> config = new HashMap<>();
    config.put("push.providers.fcm.enabled", "true");
    config.put("push.providers.fcm.credentials-file", fcm.writeServiceAccount(keys).toString());
    config.put("push.providers.fcm.base-url", fcm.baseUrl());
    config.put("push.providers.apns.enabled", "true");
    config.put("push.providers.apns.signing-key-file", apns.writeSigningKey(keys).toString());
    config.put("push.providers.apns.key-id", LocalApns.KEY_ID);
    config.put("push.providers.apns.team-id", LocalApns.TEAM_ID);
    config.put("push.providers.apns.production-host", "127.0.0.1");
    config.put("push.providers.apns.production-port", String.valueOf(apns.productionPort()));
    config.put("push.providers.apns.sandbox-host", "127.0.0.1");
    config.put("push.providers.apns.sandbox-port", String.valueOf(apns.sandboxPort()));
    config.put(
        "push.providers.apns.trusted-certificates-file", apns.trustedCertificates().toString());
    config.put("push.providers.web-push.enabled", "true");
    config.put("push.providers.web-push.subject", "mailto:ops@parley.test");
    config.put("push.providers.web-push.public-key", webPush.vapidPublicKey());
    config.put("push.providers.web-push.private-key", webPush.vapidPrivateKey());
    // The local push service is https on 127.0.0.1: its certificate is trusted (test-only
    // configuration) and the one switch for private endpoints is on (registration and sending).
    config.put("push.providers.web-push.trusted-certificates-file", tls.ca().toString());
    config.put("push.providers.web-push.allow-private-endpoints", "true");
    config.put("push.retry-base", "100ms");
    config.put("push.retry-max", "500ms");
    node = TestNode.start(postgres, config);
    codes = new DevCodes(node.dataDir);
  }

  @AfterAll
  static void stop() {
    node.close();
    assertThat(fcm.failures()).isEmpty();
    fcm.close();
    assertThat(apns.failures()).isEmpty();
    apns.close();
    assertThat(webPush.failures()).isEmpty();
    webPush.close();
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

  /**
   * A user: a laptop (connected while the test runs) and a phone (or a browser) that is not.
   *
   * @param token the phone's FCM token or APNs device token, or the browser's endpoint
   */
  private record User(String email, Credentials laptop, Credentials phone, String token) {}

  /** A user whose Android phone has an FCM token. */
  private User user(String name) {
    String token = "fcm:" + UUID.randomUUID();
    return user(name, Platform.PLATFORM_ANDROID, fcm(token), token);
  }

  /** A user whose iPhone (a development build: sandbox) has an APNs device token. */
  private User iosUser(String name) {
    String token = UUID.randomUUID().toString().replace("-", "").repeat(2);
    PushTarget target =
        PushTarget.newBuilder()
            .setApns(
                ApnsTarget.newBuilder()
                    .setDeviceToken(token)
                    .setEnvironment(ApnsTarget.Environment.ENVIRONMENT_SANDBOX)
                    .setTopic(IOS_APP))
            .build();
    return user(name, Platform.PLATFORM_IOS, target, token);
  }

  /** A user whose browser subscribed to the local push service. */
  private User browserUser(String name) {
    LocalWebPush.Subscription s = webPush.subscribe();
    PushTarget target =
        PushTarget.newBuilder()
            .setWebPush(
                WebPushTarget.newBuilder()
                    .setEndpoint(s.endpoint())
                    .setP256Dh(s.p256dh())
                    .setAuth(s.auth()))
            .build();
    return user(name, Platform.PLATFORM_WEB, target, s.endpoint());
  }

  private User user(String name, Platform platform, PushTarget target, String token) {
    ParleyClient client = node.client(Encoding.JSON);
    String email = DevCodes.uniqueEmail(name);
    Credentials laptop = codes.register(client, email, name, name + "-laptop");
    Credentials phone = Users.login(client, email, name + "-phone", platform);
    Connection c = connect(phone);
    Futures.await(c.registerPushTarget(target));
    c.close(); // the phone goes into the pocket: not connected any more
    connections.remove(c);
    return new User(email, laptop, phone, token);
  }

  private static PushTarget fcm(String token) {
    return PushTarget.newBuilder().setFcm(FcmTarget.newBuilder().setToken(token)).build();
  }

  /** Whether the session no longer has a push target (the session list says so). */
  private static boolean hasNoPush(Connection laptop, Credentials session) {
    return Futures.await(laptop.listSessions()).getSessionsList().stream()
        .filter(x -> x.getSessionId() == session.sessionId())
        .allMatch(x -> x.getPushService() == PushService.PUSH_SERVICE_UNSPECIFIED);
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
    await().atMost(WAIT).until(() -> hasNoPush(leaLaptop, lea.phone()));
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

  @Test
  void anOfflineIphoneGetsAnApnsAlertThenABackgroundPushWithTheNewBadgeAfterARead() {
    User vic = user("vic");
    User wes = iosUser("wes");
    Connection vicLaptop = connect(vic.laptop());
    Connection wesLaptop = connect(wes.laptop());
    SendMessageResponse sent = sendText(vicLaptop, wes.laptop().userId(), "ship it?");
    long conversation = sent.getConversationId();
    await().atMost(WAIT).until(() -> apns.receivedFor(wes.token()).size() >= 1);
    LocalApns.Received alert = apns.receivedFor(wes.token()).get(0);
    assertThat(alert.environment()).isEqualTo("sandbox");
    assertThat(alert.header("apns-topic")).isEqualTo(IOS_APP);
    assertThat(alert.header("apns-push-type")).isEqualTo("alert");
    assertThat(alert.header("apns-priority")).isEqualTo("10");
    assertThat(alert.header("apns-collapse-id")).isEqualTo("c:" + conversation);
    JsonNode aps = alert.aps();
    assertThat(aps.path("alert").path("title").asText()).isEqualTo("vic");
    assertThat(aps.path("alert").path("body").asText()).isEqualTo("ship it?");
    assertThat(aps.path("sound").asText()).isEqualTo("default");
    assertThat(aps.path("badge").asInt()).isEqualTo(1);
    assertThat(aps.path("thread-id").asText()).isEqualTo("c:" + conversation);
    assertThat(aps.path("mutable-content").asInt()).isEqualTo(1);
    assertThat(alert.payload().path("kind").asText()).isEqualTo("message");
    assertThat(alert.payload().path("conversation_id").asText())
        .isEqualTo(String.valueOf(conversation));

    Futures.await(wesLaptop.markRead(conversation, sent.getSeq()));
    await().atMost(WAIT).until(() -> apns.receivedFor(wes.token()).size() >= 2);
    LocalApns.Received read = apns.receivedFor(wes.token()).get(1);
    assertThat(read.payload().path("kind").asText()).isEqualTo("read");
    assertThat(read.header("apns-priority")).isEqualTo("5");
    assertThat(read.aps().path("content-available").asInt()).isEqualTo(1);
    assertThat(read.aps().path("badge").asInt()).as("the new badge").isZero();
    assertThat(read.aps().has("alert")).as("silent").isFalse();
  }

  @Test
  void apnsUnregisteredAndBadDeviceTokenRemoveTheTarget() throws Exception {
    User xan = user("xan");
    User yul = iosUser("yul");
    User zed = iosUser("zed");
    apns.unregister(yul.token());
    apns.refuse(zed.token(), RejectionReason.BAD_DEVICE_TOKEN, 1);
    Connection xanLaptop = connect(xan.laptop());
    Connection yulLaptop = connect(yul.laptop());
    Connection zedLaptop = connect(zed.laptop());
    send(xanLaptop, yul.laptop().userId(), "410");
    send(xanLaptop, zed.laptop().userId(), "400");
    await().atMost(WAIT).until(() -> hasNoPush(yulLaptop, yul.phone()));
    await().atMost(WAIT).until(() -> hasNoPush(zedLaptop, zed.phone()));
    send(xanLaptop, zed.laptop().userId(), "again");
    settle();
    assertThat(apns.receivedFor(zed.token())).as("never sent to again").isEmpty();
  }

  @Test
  void anOfflineAndroidIphoneAndBrowserEachReceiveTheRightNotification() {
    User ann = user("ann");
    User bob = user("bob");
    User cal = iosUser("cal");
    User deb = browserUser("deb");
    Connection annLaptop = connect(ann.laptop());
    long toBob = send(annLaptop, bob.laptop().userId(), "android?");
    long toCal = send(annLaptop, cal.laptop().userId(), "iphone?");
    long toDeb = send(annLaptop, deb.laptop().userId(), "browser?");

    JsonNode android = awaitPush(bob.token(), 1);
    assertThat(android.path("notification").path("title").asText()).isEqualTo("ann");
    assertThat(android.path("notification").path("body").asText()).isEqualTo("android?");
    assertThat(android.path("android").path("collapse_key").asText()).isEqualTo("c:" + toBob);

    await().atMost(WAIT).until(() -> !apns.receivedFor(cal.token()).isEmpty());
    JsonNode aps = apns.receivedFor(cal.token()).get(0).aps();
    assertThat(aps.path("alert").path("title").asText()).isEqualTo("ann");
    assertThat(aps.path("alert").path("body").asText()).isEqualTo("iphone?");
    assertThat(aps.path("thread-id").asText()).isEqualTo("c:" + toCal);

    await().atMost(WAIT).until(() -> !webPush.receivedFor(deb.token()).isEmpty());
    LocalWebPush.Received browser = webPush.receivedFor(deb.token()).get(0);
    // The service worker's event.data.json(), decrypted as the browser does (protocol.md 14).
    JsonNode p = browser.payload();
    assertThat(p.path("title").asText()).isEqualTo("ann");
    assertThat(p.path("body").asText()).isEqualTo("browser?");
    assertThat(p.path("sound").asBoolean()).isTrue();
    assertThat(p.path("badge").asInt()).isEqualTo(1);
    assertThat(p.path("tag").asText()).isEqualTo("c:" + toDeb);
    assertThat(p.path("thread_id").asText()).isEqualTo("c:" + toDeb);
    assertThat(p.path("data").path("kind").asText()).isEqualTo("message");
    assertThat(p.path("data").path("conversation_id").asText()).isEqualTo(String.valueOf(toDeb));
    assertThat(p.path("data").path("sender_id").asText())
        .isEqualTo(String.valueOf(ann.laptop().userId()));
    assertThat(browser.request().header("Urgency")).isEqualTo("high");
    assertThat(browser.vapid().path("sub").asText()).isEqualTo("mailto:ops@parley.test");
  }

  @Test
  void aWebPushSubscriptionTheServiceAnswers404Or410ForIsRemoved() throws Exception {
    User eli = user("eli");
    User fin = browserUser("fin");
    User gil = browserUser("gil");
    webPush.answer(fin.token(), r -> Response.of(410), 1);
    webPush.answer(gil.token(), r -> Response.of(404), 1);
    Connection eliLaptop = connect(eli.laptop());
    Connection finLaptop = connect(fin.laptop());
    Connection gilLaptop = connect(gil.laptop());
    send(eliLaptop, fin.laptop().userId(), "gone?");
    send(eliLaptop, gil.laptop().userId(), "unknown?");
    await().atMost(WAIT).until(() -> hasNoPush(finLaptop, fin.phone()));
    await().atMost(WAIT).until(() -> hasNoPush(gilLaptop, gil.phone()));
    send(eliLaptop, fin.laptop().userId(), "again");
    settle();
    assertThat(webPush.requestsTo(fin.token())).as("never sent to again").isEqualTo(1);
  }

  @Test
  void aConnectedPhoneWhoseTargetAsksForItIsNotifiedWhileConnected() throws Exception {
    User ida = user("ida");
    String backgroundToken = "fcm:" + UUID.randomUUID();
    User jon =
        user(
            "jon",
            Platform.PLATFORM_ANDROID,
            fcm(backgroundToken).toBuilder().setNotifyWhileConnected(true).build(),
            backgroundToken);
    User kai = user("kai");
    // Both phones are connected again (jon's app keeps its connection open in the background).
    connect(jon.phone());
    connect(kai.phone());
    Connection idaLaptop = connect(ida.laptop());
    send(idaLaptop, kai.laptop().userId(), "foreground?");
    send(idaLaptop, jon.laptop().userId(), "background?");
    JsonNode push = awaitPush(jon.token(), 1);
    assertThat(push.path("notification").path("body").asText()).isEqualTo("background?");
    settle();
    assertThat(fcm.sendsTo(kai.token())).as("connected, no flag: not notified").isZero();
  }
}
