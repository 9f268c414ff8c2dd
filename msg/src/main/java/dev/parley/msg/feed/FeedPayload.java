package dev.parley.msg.feed;

import dev.parley.msg.settings.ChatState;
import dev.parley.msg.settings.NotifySettings;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What a feed row says beyond its pointers (kind, conversation, seq, other user), in domain form.
 */
public sealed interface FeedPayload {

  /** READ_MARKER: the user's marker moved to readSeq; unreadCount was counted up to lastSeq. */
  record ReadMarker(
      long conversationId, long readSeq, int unreadCount, long lastSeq, int unreadMentions)
      implements FeedPayload {}

  /** FRIEND_REQUEST: a request between two users reached {@code state}. */
  record FriendRequest(
      long fromUserId, long toUserId, String note, Instant createdAt, RequestState state)
      implements FeedPayload {}

  /** FRIEND: the user and userId are friends (since) or no longer. */
  record Friend(long userId, boolean friends, @Nullable Instant since) implements FeedPayload {}

  /** BLOCK: the user blocked (or unblocked) userId. */
  record Block(long userId, boolean blocked) implements FeedPayload {}

  /**
   * CHAT_STATE: the user's own state of a conversation is now {@code state} (whole).
   *
   * @param draftInTable read from a stored row, whose payload never holds the draft's text: the
   *     state had a draft, which is to be read from msg.chat_state (design.md 13.3); {@code
   *     state.draft()} is null then
   */
  record ChatStateChanged(long conversationId, ChatState state, boolean draftInTable)
      implements FeedPayload {
    public ChatStateChanged(long conversationId, ChatState state) {
      this(conversationId, state, false);
    }
  }

  /** NOTIFY_SETTINGS: the user's global notification settings are now {@code settings}. */
  record NotifySettingsChanged(NotifySettings settings) implements FeedPayload {}

  /** How a friend request stands, from the feed owner's side. Codes are stored: never reuse one. */
  enum RequestState {
    RECEIVED(1),
    SENT(2),
    ACCEPTED(3),
    DECLINED(4),
    CANCELED(5);

    public final int code;

    RequestState(int code) {
      this.code = code;
    }

    public static RequestState of(int code) {
      for (RequestState s : values()) if (s.code == code) return s;
      throw new IllegalArgumentException("unknown request state " + code);
    }
  }
}
