package dev.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.Connection;
import dev.parley.client.Connection.State;
import dev.parley.client.Credentials;
import dev.parley.client.Encoding;
import dev.parley.client.Futures;
import dev.parley.client.MemorySyncStore;
import dev.parley.client.Messenger;
import dev.parley.client.ParleyClient;
import dev.parley.client.TokenStore;
import dev.parley.proto.client.ChatState;
import dev.parley.proto.client.ChatStateUpdate;
import dev.parley.proto.client.NotifySettings;
import dev.parley.proto.client.Platform;
import dev.parley.proto.client.PreviewMode;
import dev.parley.proto.client.UpdateNotifySettingsRequest;
import dev.parley.testkit.PostgresExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SDK's view of the notification settings (issue 11 item 3) against a real single node: what
 * one device sets, another device's {@link Messenger} store follows, live and after being away
 * (through get_difference, not a rebuild), and its listeners hear of it.
 */
class SdkNotifySettingsIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  static TestNode node;
  static DevCodes codes;
  private final Deque<AutoCloseable> open = new ArrayDeque<>();

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
  void closeAll() throws Exception {
    while (!open.isEmpty()) open.pop().close();
  }

  /** A device: a connection and a messenger on {@code store}, synced. */
  private Messenger device(ParleyClient client, TokenStore tokens, MemorySyncStore store) {
    Connection connection = client.newConnection(tokens);
    open.push(connection);
    Messenger messenger = Messenger.attach(connection, store);
    open.push(messenger);
    connection.start().awaitState(State.READY, WAIT);
    messenger.awaitSynced(WAIT);
    return messenger;
  }

  @Test
  void aSecondDeviceFollowsMuteAndSettingsLiveAndAfterBeingAway() throws Exception {
    ParleyClient client = node.client(Encoding.PROTOBUF);
    String email = DevCodes.uniqueEmail("nina");
    Credentials phoneCreds = codes.register(client, email, "Nina", "nina-phone");
    Credentials ben = codes.register(client, DevCodes.uniqueEmail("ben"), "Ben", "ben-0");
    Messenger phone = device(client, TokenStore.inMemory(phoneCreds), new MemorySyncStore());
    long group =
        Futures.await(phone.connection().createGroup("climbers", List.of(ben.userId())))
            .getConversation()
            .getConversationId();

    TokenStore laptopTokens =
        TokenStore.inMemory(Users.login(client, email, "nina-laptop", Platform.PLATFORM_DESKTOP));
    MemorySyncStore laptopStore = new MemorySyncStore();
    Messenger laptop = device(client, laptopTokens, laptopStore);
    List<ChatStateUpdate> heard = new CopyOnWriteArrayList<>();
    List<NotifySettings> heardSettings = new CopyOnWriteArrayList<>();
    laptop.onChatState(heard::add);
    laptop.onNotifySettings(heardSettings::add);
    laptop.awaitCondition(() -> laptopStore.conversation(group).isPresent(), WAIT);
    assertThat(laptopStore.chatState(group)).isEqualTo(ChatState.getDefaultInstance());
    // Nothing in the store yet: fetched once, then kept.
    assertThat(Futures.await(laptop.notifySettings()).getShowPreviews()).isTrue();
    assertThat(laptopStore.notifySettings()).isPresent();

    // Live: a mute and a global switch set on the phone.
    ChatState mutedForever =
        Futures.await(phone.connection().muteConversationForever(group)).getState();
    NotifySettings noPreviews =
        Futures.await(
                phone
                    .connection()
                    .updateNotifySettings(
                        UpdateNotifySettingsRequest.newBuilder().setShowPreviews(false).build()))
            .getSettings();
    laptop.awaitCondition(() -> laptopStore.chatState(group).getMutedForever(), WAIT);
    laptop.awaitCondition(
        () -> !laptopStore.notifySettings().orElseThrow().getShowPreviews(), WAIT);
    assertThat(laptopStore.chatState(group)).isEqualTo(mutedForever);
    assertThat(Futures.await(laptop.notifySettings())).isEqualTo(noPreviews);
    // Listeners run after the store is written, on their own executor.
    await().atMost(WAIT).until(() -> !heard.isEmpty() && !heardSettings.isEmpty());
    assertThat(heard.getFirst().getConversationId()).isEqualTo(group);
    assertThat(heard.getFirst().getState()).isEqualTo(mutedForever);
    assertThat(heardSettings).containsExactly(noPreviews);

    // Away: the laptop closes; the phone changes the mute to a timed one, hides previews in the
    // group and turns mentions in muted chats off.
    closeAll();
    phone = device(client, TokenStore.inMemory(phoneCreds), new MemorySyncStore());
    long until = Instant.now().plus(Duration.ofHours(8)).toEpochMilli();
    Futures.await(phone.connection().setConversationMute(group, until));
    ChatState latest =
        Futures.await(
                phone.connection().setConversationPreviews(group, PreviewMode.PREVIEW_MODE_HIDE))
            .getState();
    NotifySettings latestSettings =
        Futures.await(
                phone
                    .connection()
                    .updateNotifySettings(
                        UpdateNotifySettingsRequest.newBuilder()
                            .setNotifyMentionsInMuted(false)
                            .build()))
            .getSettings();
    assertThat(latest.getMutedUntilMs()).isEqualTo(until);
    assertThat(latest.getMutedForever()).isFalse();

    // Back: the same store catches up from its pts.
    List<ChatStateUpdate> heardAfter = new CopyOnWriteArrayList<>();
    Connection again = client.newConnection(laptopTokens);
    open.push(again);
    Messenger back = Messenger.attach(again, laptopStore);
    open.push(back);
    back.onChatState(heardAfter::add);
    again.start().awaitState(State.READY, WAIT);
    back.awaitSynced(WAIT);

    assertThat(back.lastCatchUp().rebuilt()).isFalse();
    assertThat(back.lastCatchUp().getDifference()).isPositive();
    assertThat(laptopStore.chatState(group)).isEqualTo(latest);
    assertThat(laptopStore.notifySettings()).contains(latestSettings);
    assertThat(latestSettings.getShowPreviews()).isFalse();
    assertThat(latestSettings.getNotifyMentionsInMuted()).isFalse();
    await().atMost(WAIT).until(() -> heardAfter.size() >= 2);
    assertThat(heardAfter.getLast().getState()).isEqualTo(latest);

    // A new device starts from the conversation list, which carries the state, and fetches the
    // global settings once.
    MemorySyncStore tabletStore = new MemorySyncStore();
    Messenger tablet =
        device(
            client,
            TokenStore.inMemory(Users.login(client, email, "nina-tablet", Platform.PLATFORM_WEB)),
            tabletStore);
    tablet.awaitCondition(() -> tabletStore.conversation(group).isPresent(), WAIT);
    assertThat(tabletStore.chatState(group)).isEqualTo(latest);
    assertThat(Futures.await(tablet.notifySettings())).isEqualTo(latestSettings);
  }
}
