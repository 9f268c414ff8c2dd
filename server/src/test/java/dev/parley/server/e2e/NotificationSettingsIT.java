package dev.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.Connection;
import dev.parley.client.Connection.State;
import dev.parley.client.Credentials;
import dev.parley.client.Encoding;
import dev.parley.client.EventRecorder;
import dev.parley.client.Futures;
import dev.parley.client.ParleyClient;
import dev.parley.client.TokenStore;
import dev.parley.proto.client.ChatState;
import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.Event;
import dev.parley.proto.client.FcmTarget;
import dev.parley.proto.client.NotifySettings;
import dev.parley.proto.client.Platform;
import dev.parley.proto.client.PushService;
import dev.parley.proto.client.PushTarget;
import dev.parley.proto.client.Session;
import dev.parley.proto.client.SetConversationMuteRequest;
import dev.parley.proto.client.Update;
import dev.parley.proto.client.UpdateNotifySettingsRequest;
import dev.parley.testkit.PostgresExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11 items 1 and 3 end to end over the WebSocket protocol: one user on three devices. A mute
 * or a settings change made on one device reaches a connected one live and a device that was away
 * through get_difference, and the conversation list shows it; a push target registered on one
 * device shows in the session list of another.
 */
class NotificationSettingsIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  static TestNode node;
  static DevCodes codes;
  final List<Connection> connections = new ArrayList<>();

  @BeforeAll
  static void start() {
    node = TestNode.start(postgres, Map.of());
    codes = new DevCodes(node.dataDir);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @AfterEach
  void closeConnections() {
    connections.forEach(Connection::close);
  }

  private Connection connect(ParleyClient client, Credentials credentials) {
    Connection c = client.newConnection(TokenStore.inMemory(credentials));
    c.start().awaitState(State.READY, WAIT);
    connections.add(c);
    return c;
  }

  @Test
  void aMuteOnOneDeviceReachesTheOthersLiveAndOnSync() {
    ParleyClient json = node.client(Encoding.JSON);
    ParleyClient proto = node.client(Encoding.PROTOBUF);
    String email = DevCodes.uniqueEmail("ann");
    Credentials first = codes.register(json, email, "Ann", "ann-0");
    Connection phone = connect(json, first);
    Credentials secondCreds = Users.login(proto, email, "ann-1", Platform.PLATFORM_ANDROID);
    Connection tablet = connect(proto, secondCreds);
    EventRecorder tabletEvents = EventRecorder.attach(tablet);
    Credentials thirdCreds = Users.login(json, email, "ann-2", Platform.PLATFORM_WEB);
    Credentials ben = codes.register(json, DevCodes.uniqueEmail("ben"), "Ben", "ben-0");

    long group =
        Futures.await(phone.createGroup("hikers", List.of(ben.userId())))
            .getConversation()
            .getConversationId();
    long pts = Futures.await(phone.getState()).getPts();

    ChatState muted =
        Futures.await(
                phone.setConversationMute(
                    SetConversationMuteRequest.newBuilder()
                        .setConversationId(group)
                        .setForever(true)
                        .build()))
            .getState();
    assertThat(muted.getMutedForever()).isTrue();

    // The connected device hears of it at once.
    Event live = tabletEvents.await(e -> e.getUpdate().hasChatState(), WAIT);
    assertThat(live.getUpdate().getPts()).isEqualTo(pts + 1);
    assertThat(live.getUpdate().getChatState().getConversationId()).isEqualTo(group);
    assertThat(live.getUpdate().getChatState().getState()).isEqualTo(muted);

    // The global switch too.
    NotifySettings hidden =
        Futures.await(
                phone.updateNotifySettings(
                    UpdateNotifySettingsRequest.newBuilder().setShowPreviews(false).build()))
            .getSettings();
    assertThat(hidden.getShowPreviews()).isFalse();
    assertThat(
            tabletEvents
                .await(e -> e.getUpdate().hasNotifySettings(), WAIT)
                .getUpdate()
                .getNotifySettings())
        .isEqualTo(hidden);

    // A device that was away finds both in its feed, and the mute in the conversation list.
    Connection laptop = connect(json, thirdCreds);
    List<Update> missed = Futures.await(laptop.getDifference(pts, 0)).getUpdatesList();
    assertThat(missed).extracting(Update::getPts).containsExactly(pts + 1, pts + 2);
    assertThat(missed.get(0).getChatState().getState()).isEqualTo(muted);
    assertThat(missed.get(1).getNotifySettings()).isEqualTo(hidden);
    Conversation listed =
        Futures.await(laptop.getConversations(0, "")).getConversationsList().stream()
            .filter(c -> c.getConversationId() == group)
            .findFirst()
            .orElseThrow();
    assertThat(listed.getChatState()).isEqualTo(muted);
    assertThat(Futures.await(laptop.getNotifySettings()).getSettings()).isEqualTo(hidden);

    // Push targets go through the same gateway: the tablet's shows in the laptop's session list.
    Futures.await(
        tablet.registerPushTarget(
            PushTarget.newBuilder()
                .setFcm(FcmTarget.newBuilder().setToken("fcm:token-1"))
                .build()));
    assertThat(Futures.await(laptop.listSessions()).getSessionsList())
        .filteredOn(s -> s.getSessionId() == secondCreds.sessionId())
        .extracting(Session::getPushService)
        .containsExactly(PushService.PUSH_SERVICE_FCM);
  }
}
