package dev.parley.push.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.proto.client.FcmTarget;
import dev.parley.proto.client.FriendRequest;
import dev.parley.proto.client.FriendRequestUpdate;
import dev.parley.proto.client.ImageContent;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.PushTarget;
import dev.parley.proto.client.ReadMarker;
import dev.parley.proto.client.RecallContent;
import dev.parley.proto.client.ServiceContent;
import dev.parley.proto.client.TextContent;
import dev.parley.proto.client.Update;
import dev.parley.proto.internal.NotifyFacts;
import dev.parley.proto.internal.SessionPushTarget;
import dev.parley.push.provider.PushNotification;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What notifies whom, and what the notification says (design 12.2), without any I/O. */
class PushDecisionsTest {
  private static final long ANN = 1;
  private static final long BOB = 2;
  private static final Duration TTL = Duration.ofHours(1);

  private static Update text(long sender, String text) {
    return Update.newBuilder()
        .setPts(118)
        .setMessage(
            Message.newBuilder()
                .setConversationId(42)
                .setSeq(7)
                .setMessageId(900)
                .setSenderId(sender)
                .setText(TextContent.newBuilder().setText(text)))
        .build();
  }

  private static NotifyFacts facts(boolean previews, int badge) {
    return NotifyFacts.newBuilder()
        .setUserId(BOB)
        .setConversationId(42)
        .setShowPreviews(previews)
        .setTotalUnread(badge)
        .setMember(true)
        .build();
  }

  @Test
  void whoIsNotifiedOfWhat() {
    assertThat(PushKind.of(text(ANN, "hi"), BOB)).isEqualTo(PushKind.MESSAGE);
    assertThat(PushKind.of(text(ANN, "hi"), ANN)).as("never one's own message").isNull();
    Update recall =
        Update.newBuilder()
            .setMessage(
                Message.newBuilder()
                    .setSenderId(ANN)
                    .setRecall(RecallContent.newBuilder().setTargetSeq(7)))
            .build();
    assertThat(PushKind.of(recall, BOB)).isEqualTo(PushKind.RECALL);
    Update read =
        Update.newBuilder()
            .setReadMarker(ReadMarker.newBuilder().setConversationId(42).setReadSeq(7))
            .build();
    assertThat(PushKind.of(read, BOB)).isEqualTo(PushKind.READ);
    Update request =
        Update.newBuilder()
            .setFriendRequest(
                FriendRequestUpdate.newBuilder()
                    .setState(FriendRequestUpdate.State.RECEIVED)
                    .setRequest(FriendRequest.newBuilder().setFromUserId(ANN).setToUserId(BOB)))
            .build();
    assertThat(PushKind.of(request, BOB)).isEqualTo(PushKind.FRIEND_REQUEST);
    assertThat(PushKind.of(request, ANN)).isNull();
    Update added =
        Update.newBuilder()
            .setMessage(
                Message.newBuilder()
                    .setSenderId(ANN)
                    .setService(
                        ServiceContent.newBuilder()
                            .setAction(ServiceContent.Action.MEMBERS_ADDED)
                            .setActorId(ANN)
                            .addUserIds(BOB)))
            .build();
    assertThat(PushKind.of(added, BOB)).isEqualTo(PushKind.GROUP_INVITE);
    assertThat(PushKind.of(added, 3)).as("a service entry about someone else").isNull();
  }

  private static SessionPushTarget target(long sessionId, boolean whileConnected) {
    return SessionPushTarget.newBuilder()
        .setSessionId(sessionId)
        .setTarget(
            PushTarget.newBuilder()
                .setFcm(FcmTarget.newBuilder().setToken("t" + sessionId))
                .setNotifyWhileConnected(whileConnected))
        .build();
  }

  @Test
  void connectedSessionsAreSkippedUnlessTheirTargetAsksAndTheOriginAlwaysIs() {
    Set<Long> connected = Set.of(10L, 11L);
    assertThat(PushWorker.due(target(10, false), connected, 0)).as("connected").isFalse();
    assertThat(PushWorker.due(target(11, true), connected, 0)).as("backgrounded").isTrue();
    assertThat(PushWorker.due(target(11, true), connected, 11)).as("the origin").isFalse();
    assertThat(PushWorker.due(target(12, false), connected, 0)).as("not connected").isTrue();
  }

  @Test
  void anAlertShowsSenderAndTextAndAlwaysCarriesTheSyncKeys() {
    PushNotification n =
        NotificationContent.of(
            PushKind.MESSAGE, text(ANN, "See you at 8?"), facts(true, 3), "Ann", 1, TTL, false);
    assertThat(n.alert()).isEqualTo(new PushNotification.Alert("Ann", "See you at 8?", true));
    assertThat(n.badge()).isEqualTo(3);
    assertThat(n.collapseKey()).isEqualTo("c:42");
    assertThat(n.data())
        .containsEntry("kind", "message")
        .containsEntry("conversation_id", "42")
        .containsEntry("seq", "7")
        .containsEntry("pts", "118")
        .containsEntry("sender_id", "1");
    assertThat(n.priority()).isEqualTo(PushNotification.Priority.HIGH);
    assertThat(n.mutableContent()).as("an iOS extension may rewrite an alert").isTrue();
  }

  @Test
  void previewsOffSayNewMessageAndNothingOfTheMessageOrSender() {
    PushNotification n =
        NotificationContent.of(
            PushKind.MESSAGE, text(ANN, "secret"), facts(false, 1), "Ann", 1, TTL, false);
    assertThat(n.alert()).isEqualTo(new PushNotification.Alert("Parley", "New message", true));
    assertThat(n.data()).doesNotContainKey("sender_id");
    assertThat(n.data().values()).noneMatch(v -> v.contains("secret"));
  }

  @Test
  void longTextIsCutTo200CodePointsAndPhotosAndMutesAreShownAsSuch() {
    String emoji = "😀".repeat(300);
    String cut = NotificationContent.truncate(emoji);
    assertThat(cut.codePointCount(0, cut.length())).isEqualTo(200);
    assertThat(cut).endsWith("…");
    Update photo =
        Update.newBuilder()
            .setMessage(
                Message.newBuilder()
                    .setConversationId(42)
                    .setSenderId(ANN)
                    .setImage(ImageContent.newBuilder().setFileId("f")))
            .build();
    assertThat(NotificationContent.preview(photo.getMessage())).isEqualTo("Photo");
    PushNotification muted =
        NotificationContent.of(
            PushKind.MESSAGE, text(ANN, "hi"), facts(true, 5), "Ann", 1, TTL, true);
    assertThat(muted.silent()).isTrue();
    assertThat(muted.badge()).isEqualTo(5);
    assertThat(muted.mutableContent()).as("nothing to rewrite").isFalse();
  }

  @Test
  void coalescingSendsTheFirstAtOnceAndMergesTheRestUntilTheWindowCloses() {
    Coalescer<String> c = new Coalescer<>(Duration.ofSeconds(3));
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(c.offer("k", "m1", t0)).isInstanceOf(Coalescer.SendNow.class);
    assertThat(c.offer("k", "m2", t0.plusSeconds(1)))
        .isEqualTo(new Coalescer.Held<String>(Duration.ofSeconds(2), null));
    assertThat(c.offer("k", "m3", t0.plusSeconds(2)))
        .isEqualTo(new Coalescer.Held<String>(null, "m2"));
    assertThat(c.offer("other", "x", t0.plusSeconds(2))).isInstanceOf(Coalescer.SendNow.class);
    assertThat(c.flush("k", t0.plusSeconds(3))).isEqualTo(new Coalescer.Flushed<>("m3", 3));
    // The flush opened a new window: the next alert inside it is held again.
    assertThat(c.offer("k", "m4", t0.plusSeconds(4))).isInstanceOf(Coalescer.Held.class);
    assertThat(c.discard("k", m -> true)).isEqualTo("m4");
    assertThat(c.flush("k", t0.plusSeconds(6))).isNull();
    assertThat(c.offer("k", "m5", t0.plusSeconds(7))).isInstanceOf(Coalescer.SendNow.class);
  }
}
