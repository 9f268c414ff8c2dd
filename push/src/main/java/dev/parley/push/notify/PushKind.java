package dev.parley.push.notify;

import dev.parley.proto.client.FriendRequestUpdate;
import dev.parley.proto.client.Mention;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.ServiceContent;
import dev.parley.proto.client.Update;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The events that can notify a user, and whether their push is seen (an alert) or silent (a badge
 * update that clears or replaces what is shown). The table "What notifies whom" of design 12.2; a
 * mention is a {@link #MESSAGE} that {@link #mentions} the recipient.
 */
public enum PushKind {
  /** A message in one of the user's conversations, from someone else. */
  MESSAGE(false),
  /** A recall of someone else's entry: removes its notification, new badge. */
  RECALL(true),
  /** The user's own read marker moved on one of their devices: clears the conversation's alerts. */
  READ(true),
  /** Someone sent the user a friend request. */
  FRIEND_REQUEST(false),
  /** Someone added the user to a group (or created one with them in it). */
  GROUP_INVITE(false);

  private final boolean silent;

  PushKind(boolean silent) {
    this.silent = silent;
  }

  public boolean silent() {
    return silent;
  }

  /** The metric tag and the {@code kind} of the push's data: {@code message}, {@code read}, … */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * What this update means to this recipient; null when it notifies them of nothing (their own
   * message, a reaction to it, a service entry that does not concern them, a friend request they
   * sent, a settings change, ...).
   */
  public static @Nullable PushKind of(Update update, long recipient) {
    return switch (update.getKindCase()) {
      case MESSAGE -> ofEntry(update.getMessage(), recipient);
      case READ_MARKER -> READ;
      case FRIEND_REQUEST ->
          update.getFriendRequest().getState() == FriendRequestUpdate.State.RECEIVED
                  && update.getFriendRequest().getRequest().getToUserId() == recipient
              ? FRIEND_REQUEST
              : null;
      default -> null;
    };
  }

  private static @Nullable PushKind ofEntry(Message m, long recipient) {
    if (m.getSenderId() == recipient) return null; // never notified of one's own entries
    return switch (m.getContentCase()) {
      case TEXT, IMAGE, FILE -> m.getRecalled() ? null : MESSAGE;
      case RECALL -> RECALL;
      case EDIT -> null; // edits notify nobody (design 12.2), like Telegram
      case PIN -> null; // a pin notifies nobody: members see it in the chat (design 13.5)
      case REACTION -> null; // the sender's devices get the entry; no push for it (design 13.4)
      case SERVICE -> addedToGroup(m.getService(), recipient) ? GROUP_INVITE : null;
      case CONTENT_NOT_SET -> null;
    };
  }

  private static boolean addedToGroup(ServiceContent s, long recipient) {
    boolean adds =
        s.getAction() == ServiceContent.Action.MEMBERS_ADDED
            || s.getAction() == ServiceContent.Action.GROUP_CREATED;
    return adds && s.getActorId() != recipient && s.getUserIdsList().contains(recipient);
  }

  /** The update is an entry that mentions the recipient, by name or with {@code @all} (user 0). */
  public static boolean mentions(Update update, long recipient) {
    if (!update.hasMessage()) return false;
    for (Mention m : update.getMessage().getMentionsList()) {
      if (m.getUserId() == recipient || m.getUserId() == 0) return true;
    }
    return false;
  }

  /** The conversation an update belongs to; 0 for those outside one (friend requests). */
  public static long conversationOf(Update update) {
    return switch (update.getKindCase()) {
      case MESSAGE -> update.getMessage().getConversationId();
      case READ_MARKER -> update.getReadMarker().getConversationId();
      default -> 0;
    };
  }
}
