package dev.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.ClientException;
import dev.parley.client.Credentials;
import dev.parley.client.Encoding;
import dev.parley.client.EventRecorder;
import dev.parley.client.Futures;
import dev.parley.client.ParleyClient;
import dev.parley.proto.client.Audience;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.Event;
import dev.parley.proto.client.LastSeenRange;
import dev.parley.proto.client.Platform;
import dev.parley.proto.client.PrivacySettings;
import dev.parley.proto.client.SetPrivacyRequest;
import dev.parley.proto.client.UserPresence;
import dev.parley.testkit.PostgresExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12 items 2 and 7 (design.md 13.2, protocol.md 21) over the WebSocket protocol on one node:
 * privacy settings and their sync to the user's other devices, and presence as each viewer may see
 * it (friend, stranger, always-allow, never-allow, reciprocity; online, then last seen after the
 * last connection closes), and the live presence_changed event: to friends who may see it, after
 * the grace period, nothing for a reconnect within it.
 */
class PrivacyPresenceIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();

  /** Short, to keep the test quick; long enough that a reconnect fits in it on a loaded machine. */
  static final Duration GRACE = Duration.ofSeconds(3);

  static TestNode node;
  static DevCodes codes;
  final List<Device> devices = new ArrayList<>();

  @BeforeAll
  static void start() {
    node = TestNode.start(postgres, Map.of("msg.presence-grace", GRACE.toMillis() + "ms"));
    codes = new DevCodes(node.dataDir);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @AfterEach
  void closeDevices() {
    devices.forEach(Device::close);
  }

  /** A user with {@code n} devices online, the first over JSON, the others over protobuf. */
  private List<Device> user(String name, int n) {
    ParleyClient json = node.client(Encoding.JSON);
    ParleyClient proto = node.client(Encoding.PROTOBUF);
    String email = DevCodes.uniqueEmail(name);
    List<Device> mine = new ArrayList<>();
    Credentials first = codes.register(json, email, name, name + "-0");
    mine.add(Device.online(json, first));
    for (int i = 1; i < n; i++)
      mine.add(
          Device.online(
              proto, Users.login(proto, email, name + "-" + i, Platform.PLATFORM_ANDROID)));
    devices.addAll(mine);
    return mine;
  }

  private static PrivacySettings set(Device d, SetPrivacyRequest request) {
    return Futures.await(d.connection.setPrivacy(request)).getSettings();
  }

  private static ClientException failure(Supplier<?> call) {
    try {
      var unused = call.get();
    } catch (CompletionException | ClientException e) {
      Throwable t = e;
      while (t != null && !(t instanceof ClientException)) t = t.getCause();
      if (t instanceof ClientException c) return c;
      throw e;
    }
    throw new AssertionError("no error");
  }

  @Test
  void settingsDefaultToEveryone_changeInParts_andReachTheOtherDevice() {
    List<Device> ann = user("ann", 2);
    Device bob = user("bob", 1).get(0);
    Device cyd = user("cyd", 1).get(0);
    EventRecorder otherDevice = EventRecorder.attach(ann.get(1).connection);

    PrivacySettings defaults = Futures.await(ann.get(0).connection.getPrivacy()).getSettings();
    assertThat(defaults.getForwards()).isEqualTo(Audience.AUDIENCE_EVERYONE);
    assertThat(defaults.getLastSeen()).isEqualTo(Audience.AUDIENCE_EVERYONE);
    assertThat(defaults.getLastSeenAlwaysList()).isEmpty();

    PrivacySettings changed =
        set(
            ann.get(0),
            SetPrivacyRequest.newBuilder()
                .setLastSeen(Audience.AUDIENCE_CONTACTS)
                .addLastSeenAlways(bob.userId())
                .addLastSeenAlways(bob.userId())
                .setReplaceLastSeenAlways(true)
                .build());
    assertThat(changed.getLastSeen()).isEqualTo(Audience.AUDIENCE_CONTACTS);
    assertThat(changed.getForwards()).isEqualTo(Audience.AUDIENCE_EVERYONE);
    assertThat(changed.getLastSeenAlwaysList()).containsExactly(bob.userId());

    Event event = otherDevice.await(Event.KindCase.PRIVACY_CHANGED, Device.WAIT);
    assertThat(event.getPrivacyChanged().getSettings()).isEqualTo(changed);
    // The device that made the change hears nothing of it: it has the answer.
    EventRecorder own = EventRecorder.attach(ann.get(0).connection);

    // Only what is named changes; the list given stays.
    PrivacySettings forwards =
        set(
            ann.get(1),
            SetPrivacyRequest.newBuilder()
                .setForwards(Audience.AUDIENCE_NOBODY)
                .addLastSeenNever(cyd.userId())
                .setReplaceLastSeenNever(true)
                .build());
    assertThat(forwards.getForwards()).isEqualTo(Audience.AUDIENCE_NOBODY);
    assertThat(forwards.getLastSeen()).isEqualTo(Audience.AUDIENCE_CONTACTS);
    assertThat(forwards.getLastSeenAlwaysList()).containsExactly(bob.userId());
    assertThat(forwards.getLastSeenNeverList()).containsExactly(cyd.userId());
    assertThat(own.await(Event.KindCase.PRIVACY_CHANGED, Device.WAIT).getPrivacyChanged())
        .extracting(c -> c.getSettings())
        .isEqualTo(forwards);
    assertThat(Futures.await(ann.get(0).connection.getPrivacy()).getSettings()).isEqualTo(forwards);
    otherDevice.expectNone(e -> e.hasPrivacyChanged(), java.time.Duration.ofMillis(300));

    // An empty list with its flag empties it.
    PrivacySettings emptied =
        set(ann.get(0), SetPrivacyRequest.newBuilder().setReplaceLastSeenNever(true).build());
    assertThat(emptied.getLastSeenNeverList()).isEmpty();
  }

  @Test
  void invalidSettingsAreRefusedWithTheField() {
    Device ann = user("ann", 1).get(0);
    Device bob = user("bob", 1).get(0);
    set(
        ann,
        SetPrivacyRequest.newBuilder()
            .addLastSeenNever(bob.userId())
            .setReplaceLastSeenNever(true)
            .build());

    ClientException both =
        failure(
            () ->
                set(
                    ann,
                    SetPrivacyRequest.newBuilder()
                        .addLastSeenAlways(bob.userId())
                        .setReplaceLastSeenAlways(true)
                        .build()));
    assertThat(both.reason()).isEqualTo(Reason.INVALID_ARGUMENT);
    assertThat(both.error().getField()).isEqualTo("last_seen_always");

    ClientException tooMany =
        failure(
            () ->
                set(
                    ann,
                    SetPrivacyRequest.newBuilder()
                        .addAllLastSeenAlways(LongStream.rangeClosed(1, 101).boxed().toList())
                        .setReplaceLastSeenAlways(true)
                        .build()));
    assertThat(tooMany.reason()).isEqualTo(Reason.INVALID_ARGUMENT);
    assertThat(tooMany.error().getField()).isEqualTo("last_seen_always");

    ClientException self =
        failure(
            () ->
                set(
                    ann,
                    SetPrivacyRequest.newBuilder()
                        .addLastSeenNever(ann.userId())
                        .setReplaceLastSeenNever(true)
                        .build()));
    assertThat(self.error().getField()).isEqualTo("last_seen_never");

    ClientException withoutFlag =
        failure(
            () -> set(ann, SetPrivacyRequest.newBuilder().addLastSeenAlways(bob.userId()).build()));
    assertThat(withoutFlag.error().getField()).isEqualTo("replace_last_seen_always");

    // Nothing of the refused changes was stored.
    PrivacySettings now = Futures.await(ann.connection.getPrivacy()).getSettings();
    assertThat(now.getLastSeenAlwaysList()).isEmpty();
    assertThat(now.getLastSeenNeverList()).containsExactly(bob.userId());
  }

  private static UserPresence presenceOf(Device viewer, Device target) {
    return Futures.await(viewer.connection.getPresence(List.of(target.userId()))).getPresences(0);
  }

  private static UserPresence coarse(Device target, LastSeenRange range) {
    return UserPresence.newBuilder().setUserId(target.userId()).setCoarse(range).build();
  }

  private static UserPresence online(Device target) {
    return UserPresence.newBuilder().setUserId(target.userId()).setOnline(true).build();
  }

  @Test
  void presenceFollowsTheTargetsSetting_itsExceptions_andReciprocity() {
    Device ann = user("ann", 1).get(0);
    Device bob = user("bob", 1).get(0); // friend
    Device cyd = user("cyd", 1).get(0); // stranger
    Device dee = user("dee", 1).get(0); // stranger on the always-allow list
    Device eve = user("eve", 1).get(0); // friend on the never-allow list
    Device fay = user("fay", 1).get(0); // friend who hides her own last seen from everyone
    for (Device friend : List.of(bob, eve, fay)) {
      Futures.await(ann.connection.sendFriendRequest(friend.userId(), ""));
      Futures.await(friend.connection.acceptFriendRequest(ann.userId()));
    }
    set(
        ann,
        SetPrivacyRequest.newBuilder()
            .setLastSeen(Audience.AUDIENCE_CONTACTS)
            .addLastSeenAlways(dee.userId())
            .setReplaceLastSeenAlways(true)
            .addLastSeenNever(eve.userId())
            .setReplaceLastSeenNever(true)
            .build());
    set(fay, SetPrivacyRequest.newBuilder().setLastSeen(Audience.AUDIENCE_NOBODY).build());

    // Online now.
    assertThat(presenceOf(bob, ann)).isEqualTo(online(ann));
    assertThat(presenceOf(dee, ann)).isEqualTo(online(ann));
    assertThat(presenceOf(cyd, ann)).isEqualTo(coarse(ann, LastSeenRange.LAST_SEEN_RECENTLY));
    assertThat(presenceOf(eve, ann)).isEqualTo(coarse(ann, LastSeenRange.LAST_SEEN_RECENTLY));
    assertThat(presenceOf(fay, ann)).isEqualTo(coarse(ann, LastSeenRange.LAST_SEEN_RECENTLY));
    // And fay, who hides from everyone, shows coarse to all but herself.
    assertThat(presenceOf(bob, fay)).isEqualTo(coarse(fay, LastSeenRange.LAST_SEEN_RECENTLY));
    assertThat(presenceOf(fay, fay)).isEqualTo(online(fay));

    // After ann's last connection closes: the exact moment for those who may see it.
    long before = node.clock.millis();
    ann.disconnect();
    UserPresence seenByBob = awaitOffline(bob, ann);
    assertThat(seenByBob.getLastSeenMs()).isBetween(before, node.clock.millis());
    assertThat(presenceOf(dee, ann)).isEqualTo(seenByBob);
    assertThat(presenceOf(cyd, ann)).isEqualTo(coarse(ann, LastSeenRange.LAST_SEEN_RECENTLY));
    assertThat(presenceOf(eve, ann)).isEqualTo(coarse(ann, LastSeenRange.LAST_SEEN_RECENTLY));

    // A user who never connected is "long ago", one answer per id in request order.
    assertThat(
            Futures.await(bob.connection.getPresence(List.of(cyd.userId(), 987_654_321L)))
                .getPresencesList())
        .containsExactly(
            online(cyd),
            UserPresence.newBuilder()
                .setUserId(987_654_321L)
                .setCoarse(LastSeenRange.LAST_SEEN_LONG_AGO)
                .build());

    ClientException tooMany =
        failure(
            () ->
                Futures.await(
                    bob.connection.getPresence(LongStream.rangeClosed(1, 101).boxed().toList())));
    assertThat(tooMany.reason()).isEqualTo(Reason.INVALID_ARGUMENT);
    assertThat(tooMany.error().getField()).isEqualTo("user_ids");
  }

  private static boolean presenceOfTarget(Event e, Device target) {
    return e.hasPresenceChanged() && e.getPresenceChanged().getUserId() == target.userId();
  }

  @Test
  void presenceChangedReachesWhoMaySeeIt_afterTheGrace_andNotForAQuickReconnect() {
    Device ann = user("ann", 1).get(0);
    Device bob = user("bob", 1).get(0); // friend
    Device cyd = user("cyd", 1).get(0); // stranger
    Device dee = user("dee", 1).get(0); // stranger on the always-allow list
    Device fay = user("fay", 1).get(0); // friend who hides her own last seen from everyone
    for (Device friend : List.of(bob, fay)) {
      Futures.await(ann.connection.sendFriendRequest(friend.userId(), ""));
      Futures.await(friend.connection.acceptFriendRequest(ann.userId()));
    }
    set(
        ann,
        SetPrivacyRequest.newBuilder()
            .setLastSeen(Audience.AUDIENCE_CONTACTS)
            .addLastSeenAlways(dee.userId())
            .setReplaceLastSeenAlways(true)
            .build());
    set(fay, SetPrivacyRequest.newBuilder().setLastSeen(Audience.AUDIENCE_NOBODY).build());
    EventRecorder atBob = EventRecorder.attach(bob.connection);
    EventRecorder atCyd = EventRecorder.attach(cyd.connection);
    EventRecorder atDee = EventRecorder.attach(dee.connection);
    EventRecorder atFay = EventRecorder.attach(fay.connection);

    // Offline, announced after the grace period with the value get_presence gives.
    long closed = System.nanoTime();
    ann.disconnect();
    UserPresence offline =
        atBob.await(e -> presenceOfTarget(e, ann), Device.WAIT).getPresenceChanged();
    long tookMs = (System.nanoTime() - closed) / 1_000_000;
    assertThat(tookMs).isGreaterThanOrEqualTo(GRACE.toMillis() - 100);
    assertThat(offline.hasLastSeenMs()).isTrue();
    assertThat(presenceOf(bob, ann)).isEqualTo(offline);
    assertThat(atDee.await(e -> presenceOfTarget(e, ann), Device.WAIT).getPresenceChanged())
        .isEqualTo(offline);
    // The same delivery would have reached them: a stranger under "contacts", and a friend who
    // hides her own (reciprocity), get nothing.
    atCyd.expectNone(e -> presenceOfTarget(e, ann), Duration.ofMillis(300));
    atFay.expectNone(e -> presenceOfTarget(e, ann), Duration.ofMillis(1));

    // Back after the grace period: online at once.
    atBob.clear();
    ann.connect();
    assertThat(atBob.await(e -> presenceOfTarget(e, ann), Device.WAIT).getPresenceChanged())
        .isEqualTo(online(ann));

    // A reconnect within the grace period (a page reload) tells nobody anything.
    atBob.clear();
    ann.disconnect();
    ann.connect();
    atBob.expectNone(e -> presenceOfTarget(e, ann), GRACE.plusSeconds(1));

    // A change of settings that hides ann from bob holds for the next event at once.
    set(
        ann,
        SetPrivacyRequest.newBuilder()
            .addLastSeenNever(bob.userId())
            .setReplaceLastSeenNever(true)
            .build());
    atDee.clear();
    ann.disconnect();
    assertThat(
            atDee
                .await(e -> presenceOfTarget(e, ann), Device.WAIT)
                .getPresenceChanged()
                .hasLastSeenMs())
        .isTrue();
    atBob.expectNone(e -> presenceOfTarget(e, ann), Duration.ofMillis(300));
  }

  /** The server sees a close moments after the client makes it. */
  private static UserPresence awaitOffline(Device viewer, Device target) {
    return await()
        .atMost(Device.WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> presenceOf(viewer, target), UserPresence::hasLastSeenMs);
  }
}
