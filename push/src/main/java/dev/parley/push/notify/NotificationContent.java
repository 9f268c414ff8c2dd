package dev.parley.push.notify;

import dev.parley.proto.client.Message;
import dev.parley.proto.client.Update;
import dev.parley.proto.internal.NotifyFacts;
import dev.parley.push.provider.PushNotification;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a push says (design 12.2, "Content"; the payloads per platform are in protocol.md, "Push
 * payloads"). An alert names the sender and the conversation and, when previews are shown, the text
 * (at most {@link #MAX_PREVIEW} code points) or "Photo" / "File: name"; with previews off it is
 * "New message" under "Parley" and nothing of the message leaves for Google or Apple. The data
 * always carries {@code kind}, {@code conversation_id}, {@code seq} and {@code pts}, so a client
 * that wakes up syncs instead of trusting the push. Pure: no clock, no I/O.
 */
public final class NotificationContent {
  /** Code points of text shown in a notification. */
  public static final int MAX_PREVIEW = 200;

  static final String APP = "Parley";
  static final String HIDDEN = "New message";

  private NotificationContent() {}

  /**
   * @param senderName the sender's display name as the recipient sees it (empty: unknown)
   * @param count events merged into this push by coalescing (1: none)
   * @param ttl what is left of the job's time to live
   * @param muted the conversation is muted now: a message only updates the badge
   */
  public static PushNotification of(
      PushKind kind,
      Update update,
      NotifyFacts facts,
      String senderName,
      int count,
      Duration ttl,
      boolean muted) {
    long conversation = PushKind.conversationOf(update);
    Map<String, String> data = new LinkedHashMap<>();
    data.put("kind", kind.tag());
    data.put("conversation_id", Long.toString(conversation));
    data.put("seq", Long.toString(seq(kind, update)));
    data.put("pts", Long.toString(update.getPts()));
    if (update.hasMessage()) data.put("msg_id", Long.toString(update.getMessage().getMessageId()));
    if (!kind.silent() && facts.getShowPreviews()) {
      long sender = senderId(kind, update);
      if (sender != 0) data.put("sender_id", Long.toString(sender));
    }
    if (count > 1) data.put("count", Integer.toString(count));
    String collapse = collapseKey(kind, update);
    PushNotification.Alert alert =
        muted && kind == PushKind.MESSAGE ? null : alert(kind, update, facts, senderName, count);
    return new PushNotification(
        alert,
        data,
        facts.getTotalUnread(),
        collapse,
        collapse,
        ttl,
        alert == null ? PushNotification.Priority.NORMAL : PushNotification.Priority.HIGH,
        // Every alert: an iOS Notification Service Extension may rewrite it (protocol.md, iOS).
        alert != null);
  }

  /**
   * One key per conversation, so each new alert replaces the one shown and a silent push can clear
   * it; friend requests collapse per sender.
   */
  static String collapseKey(PushKind kind, Update update) {
    if (kind == PushKind.FRIEND_REQUEST)
      return "f:" + update.getFriendRequest().getRequest().getFromUserId();
    return "c:" + PushKind.conversationOf(update);
  }

  /** Who caused the event: the sender of the entry, or of the friend request. */
  static long senderId(PushKind kind, Update update) {
    return kind == PushKind.FRIEND_REQUEST
        ? update.getFriendRequest().getRequest().getFromUserId()
        : update.getMessage().getSenderId();
  }

  private static long seq(PushKind kind, Update update) {
    return switch (kind) {
      case MESSAGE, GROUP_INVITE -> update.getMessage().getSeq();
      case RECALL -> update.getMessage().getRecall().getTargetSeq();
      case READ -> update.getReadMarker().getReadSeq();
      case FRIEND_REQUEST -> 0;
    };
  }

  private static PushNotification.@org.jspecify.annotations.Nullable Alert alert(
      PushKind kind, Update update, NotifyFacts facts, String senderName, int count) {
    if (kind.silent()) return null;
    boolean previews = facts.getShowPreviews();
    String sender = senderName.isBlank() ? "Someone" : senderName;
    return switch (kind) {
      case MESSAGE -> {
        if (!previews) {
          yield new PushNotification.Alert(APP, count > 1 ? count + " new messages" : HIDDEN, true);
        }
        String text = preview(update.getMessage());
        if (count > 1) text = text + " (" + count + " new messages)";
        yield facts.getGroup()
            ? new PushNotification.Alert(title(facts), sender + ": " + text, true)
            : new PushNotification.Alert(sender, text, true);
      }
      case FRIEND_REQUEST ->
          previews
              ? new PushNotification.Alert(sender, "Sent you a friend request", true)
              : new PushNotification.Alert(APP, "New friend request", true);
      case GROUP_INVITE ->
          previews
              ? new PushNotification.Alert(title(facts), sender + " added you to the group", true)
              : new PushNotification.Alert(APP, "You were added to a group", true);
      case RECALL, READ -> null;
    };
  }

  private static String title(NotifyFacts facts) {
    return facts.getTitle().isBlank() ? "Group" : facts.getTitle();
  }

  /** The text (truncated), or "Photo" / "File: name", with a caption when there is one. */
  static String preview(Message m) {
    return switch (m.getContentCase()) {
      case TEXT -> truncate(m.getText().getText());
      case IMAGE ->
          m.getImage().getCaption().isBlank()
              ? "Photo"
              : "Photo: " + truncate(m.getImage().getCaption());
      case FILE -> "File: " + truncate(m.getFile().getName());
      default -> HIDDEN;
    };
  }

  /** At most {@link #MAX_PREVIEW} code points, with "…" when cut. */
  static String truncate(String text) {
    if (text.codePointCount(0, text.length()) <= MAX_PREVIEW) return text;
    return text.substring(0, text.offsetByCodePoints(0, MAX_PREVIEW - 1)) + "…";
  }
}
