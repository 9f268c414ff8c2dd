package dev.parley.msg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.proto.client.ChatState;
import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.CreateGroupRequest;
import dev.parley.proto.client.Error;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.GetConversationRequest;
import dev.parley.proto.client.GetConversationsRequest;
import dev.parley.proto.client.GetDifferenceRequest;
import dev.parley.proto.client.GetNotifySettingsRequest;
import dev.parley.proto.client.GetStateRequest;
import dev.parley.proto.client.LeaveGroupRequest;
import dev.parley.proto.client.NotifySettings;
import dev.parley.proto.client.PreviewMode;
import dev.parley.proto.client.SetConversationMuteRequest;
import dev.parley.proto.client.SetConversationPreviewsRequest;
import dev.parley.proto.client.Update;
import dev.parley.proto.client.UpdateNotifySettingsRequest;
import dev.parley.testkit.PostgresExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11 item 3 on real PostgreSQL: per-conversation mute and preview exception, global settings,
 * each change an update in the user's feed (stored for get_difference and published live), and the
 * state in the conversation list.
 */
class NotifySettingsIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  static MsgHarness msg;

  @BeforeAll
  static void start() {
    msg = new MsgHarness(postgres, c -> c);
  }

  @AfterAll
  static void stop() {
    msg.close();
  }

  private static long group(long owner, long... others) {
    CreateGroupRequest.Builder b = CreateGroupRequest.newBuilder().setTitle("Hiking");
    for (long o : others) b.addUserIds(o);
    return msg.groups(owner).createGroup(b.build()).getConversation().getConversationId();
  }

  private static long pts(long user) {
    return msg.messages(user).getState(GetStateRequest.getDefaultInstance()).getPts();
  }

  private static List<Update> after(long user, long pts) {
    return msg.messages(user)
        .getDifference(GetDifferenceRequest.newBuilder().setPts(pts).build())
        .getUpdatesList();
  }

  private static ChatState mute(long user, SetConversationMuteRequest.Builder request) {
    return msg.settings(user).setConversationMute(request.build()).getState();
  }

  private static Conversation listed(long user, long conversationId) {
    return msg
        .messages(user)
        .getConversations(GetConversationsRequest.getDefaultInstance())
        .getConversationsList()
        .stream()
        .filter(c -> c.getConversationId() == conversationId)
        .findFirst()
        .orElseThrow();
  }

  private long now() {
    return msg.clock.millis();
  }

  @Test
  void muteForeverIsStoredInTheFeedPublishedLiveAndShownInTheList() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    long conversation = group(alice, bob);
    long before = pts(bob);

    ChatState state =
        mute(
            bob,
            SetConversationMuteRequest.newBuilder()
                .setConversationId(conversation)
                .setForever(true));
    assertThat(state.getMutedForever()).isTrue();
    assertThat(state.getMutedUntilMs()).isZero();

    List<Update> updates = after(bob, before);
    assertThat(updates).hasSize(1);
    assertThat(updates.get(0).getPts()).isEqualTo(before + 1);
    assertThat(updates.get(0).getChatState().getConversationId()).isEqualTo(conversation);
    assertThat(updates.get(0).getChatState().getState()).isEqualTo(state);
    assertThat(msg.deliveries)
        .anySatisfy(
            d -> {
              assertThat(d.getUserIdsList()).containsExactly(bob);
              assertThat(d.getUserPtsList()).containsExactly(before + 1);
              assertThat(d.getEvent().getUpdate().getChatState().getState()).isEqualTo(state);
            });

    assertThat(listed(bob, conversation).getChatState()).isEqualTo(state);
    assertThat(listed(alice, conversation).hasChatState()).isFalse(); // bob's alone
    assertThat(
            msg.messages(bob)
                .getConversation(
                    GetConversationRequest.newBuilder().setConversationId(conversation).build())
                .getConversation()
                .getChatState())
        .isEqualTo(state);

    // Unmuting is an update too, and leaves the list entry without state.
    mute(bob, SetConversationMuteRequest.newBuilder().setConversationId(conversation).setOff(true));
    assertThat(after(bob, before + 1).get(0).getChatState().getState())
        .isEqualTo(ChatState.getDefaultInstance());
    assertThat(listed(bob, conversation).hasChatState()).isFalse();
  }

  @Test
  void aTimedMuteEndsByItselfAndPreviewsAreKeptAcrossMuteChanges() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    long conversation = group(alice, bob);
    msg.settings(bob)
        .setConversationPreviews(
            SetConversationPreviewsRequest.newBuilder()
                .setConversationId(conversation)
                .setPreviews(PreviewMode.PREVIEW_MODE_HIDE)
                .build());
    long until = now() + Duration.ofHours(8).toMillis();
    ChatState muted =
        mute(
            bob,
            SetConversationMuteRequest.newBuilder()
                .setConversationId(conversation)
                .setUntilMs(until));
    assertThat(muted.getMutedUntilMs()).isEqualTo(until);
    assertThat(muted.getPreviews()).isEqualTo(PreviewMode.PREVIEW_MODE_HIDE);
    assertThat(listed(bob, conversation).getChatState().getMutedUntilMs()).isEqualTo(until);

    msg.clockOffsetMs.addAndGet(Duration.ofHours(9).toMillis());
    try {
      ChatState later = listed(bob, conversation).getChatState();
      assertThat(later.getMutedUntilMs()).isZero();
      assertThat(later.getPreviews()).isEqualTo(PreviewMode.PREVIEW_MODE_HIDE);
    } finally {
      msg.clockOffsetMs.addAndGet(-Duration.ofHours(9).toMillis());
    }
  }

  @Test
  void settingTheSameStateAgainAddsNoUpdate() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    long conversation = group(alice, bob);
    mute(
        bob,
        SetConversationMuteRequest.newBuilder().setConversationId(conversation).setForever(true));
    long pts = pts(bob);
    mute(
        bob,
        SetConversationMuteRequest.newBuilder().setConversationId(conversation).setForever(true));
    assertThat(pts(bob)).isEqualTo(pts);
  }

  @Test
  void invalidMutesAreRefused() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    long stranger = msg.newUser();
    long conversation = group(alice, bob);
    var request = SetConversationMuteRequest.newBuilder().setConversationId(conversation);

    Error past = MsgHarness.error(() -> mute(bob, request.clone().setUntilMs(now() - 1)));
    assertThat(past.getReason()).isEqualTo(Reason.INVALID_ARGUMENT);
    assertThat(past.getField()).isEqualTo("until_ms");
    long tooFar = now() + Duration.ofDays(367).toMillis();
    assertThat(MsgHarness.error(() -> mute(bob, request.clone().setUntilMs(tooFar))).getField())
        .isEqualTo("until_ms");
    assertThat(MsgHarness.error(() -> mute(bob, request.clone())).getField()).isEqualTo("mute");
    assertThat(MsgHarness.error(() -> mute(bob, request.clone().setForever(false))).getField())
        .isEqualTo("forever");
    assertThat(MsgHarness.error(() -> mute(stranger, request.clone().setForever(true))).getReason())
        .isEqualTo(Reason.NOT_FOUND);
    var unknown = SetConversationMuteRequest.newBuilder().setConversationId(42).setForever(true);
    assertThat(MsgHarness.error(() -> mute(bob, unknown)).getReason()).isEqualTo(Reason.NOT_FOUND);

    msg.groups(bob)
        .leaveGroup(LeaveGroupRequest.newBuilder().setConversationId(conversation).build());
    assertThat(MsgHarness.error(() -> mute(bob, request.clone().setForever(true))).getReason())
        .isEqualTo(Reason.CONVERSATION_CLOSED);
  }

  @Test
  void globalSettingsDefaultToTrueAndEveryChangeIsAFeedUpdate() {
    long bob = msg.newUser();
    assertThat(
            msg.settings(bob)
                .getNotifySettings(GetNotifySettingsRequest.getDefaultInstance())
                .getSettings())
        .isEqualTo(
            NotifySettings.newBuilder()
                .setShowPreviews(true)
                .setNotifyMentionsInMuted(true)
                .build());
    long before = pts(bob);

    NotifySettings hidden =
        msg.settings(bob)
            .updateNotifySettings(
                UpdateNotifySettingsRequest.newBuilder().setShowPreviews(false).build())
            .getSettings();
    assertThat(hidden.getShowPreviews()).isFalse();
    assertThat(hidden.getNotifyMentionsInMuted()).isTrue();
    assertThat(
            msg.settings(bob)
                .getNotifySettings(GetNotifySettingsRequest.getDefaultInstance())
                .getSettings())
        .isEqualTo(hidden);
    List<Update> updates = after(bob, before);
    assertThat(updates).extracting(Update::getNotifySettings).containsExactly(hidden);

    // Nothing changed: no update.
    msg.settings(bob)
        .updateNotifySettings(
            UpdateNotifySettingsRequest.newBuilder().setShowPreviews(false).build());
    msg.settings(bob).updateNotifySettings(UpdateNotifySettingsRequest.getDefaultInstance());
    assertThat(pts(bob)).isEqualTo(before + 1);

    NotifySettings both =
        msg.settings(bob)
            .updateNotifySettings(
                UpdateNotifySettingsRequest.newBuilder().setNotifyMentionsInMuted(false).build())
            .getSettings();
    assertThat(both.getShowPreviews()).isFalse();
    assertThat(both.getNotifyMentionsInMuted()).isFalse();
    assertThat(after(bob, before + 1)).extracting(Update::getNotifySettings).containsExactly(both);
  }
}
