package dev.parley.client;

import dev.parley.proto.client.ChatState;
import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.NotifySettings;
import dev.parley.proto.client.SendMessageRequest;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a device keeps between runs so that it can catch up instead of starting over: the position
 * of the user's update feed it has applied ({@link #pts()}), a summary per conversation whose
 * {@code last_seq} is the seq held of that conversation's log, the entries it holds, how far other
 * members have read, and the messages it is still sending (the outbox). {@link Messenger} is its
 * only writer; an application reads it (its own implementation may be a database, {@link
 * MemorySyncStore} keeps everything in memory).
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>Entries are keyed by (conversation_id, seq): {@link #saveMessage} inserts or replaces (a
 *       recall replaces the target with its content-less copy).
 *   <li>The writer saves {@link #savePts pts} only after everything it covers is saved, and a
 *       conversation's summary (its held seq) only after the entries it covers. A store that loses
 *       the last writes (a crash) therefore holds positions that are too old, never too new: the
 *       next catch-up fetches those updates and entries again, and applying them twice is harmless
 *       (entries are keyed, read markers only move forward).
 *   <li>The outbox ({@link #savePendingSend}) is written before a send's first attempt leaves and
 *       cleared when the server has given a definite answer, so a process that ends in between
 *       leaves it for the next {@link Messenger} on this store to resend, with the same {@code
 *       client_msg_id}.
 *   <li>Implementations must be safe for concurrent use: the messenger writes from its own threads
 *       while the application reads from others. A reader may see a write half done (an entry saved
 *       before its conversation's summary); the store need not be transactional.
 * </ul>
 *
 * <h2>The summary</h2>
 *
 * The {@link Conversation} is the server's from the last {@code get_conversations}, with the fields
 * that follow the logs and the feed kept current by the messenger: {@code last_seq} (the held seq:
 * every entry up to it has been applied, or was covered by the server's summary, or is not visible
 * to the user), {@code last_message}, {@code last_activity_ms}, {@code read_seq}, {@code
 * unread_count}, (direct) {@code peer_read_seq} and, once the other user has written, {@code
 * peer_user_id}, and (groups) {@code title}, {@code left}, {@code first_visible_seq}, {@code
 * last_visible_seq}, {@code disbanded} as the group's service entries change them. A conversation
 * first seen through an update has only those fields and its {@code type}. The messenger follows,
 * with {@code sync_groups}, every conversation that is not a one-to-one one and that is either
 * current or left with entries still to fetch ({@code last_seq < last_visible_seq}).
 */
public interface SyncStore {

  /**
   * The feed position everything in this store reflects; empty for a new device (or after {@link
   * #clear}).
   */
  OptionalLong pts();

  void savePts(long pts);

  Optional<Conversation> conversation(long conversationId);

  void saveConversation(Conversation conversation);

  /** Every conversation, most recently active first. */
  List<Conversation> conversations();

  Optional<Message> message(long conversationId, long seq);

  /** Inserts the entry or replaces the one with its (conversation_id, seq). */
  void saveMessage(Message message);

  /** The entries held of a conversation, in seq order; may have holes (history not loaded). */
  List<Message> messages(long conversationId);

  /**
   * How far {@code userId} has read in a conversation, as far as this device knows; 0 if unknown.
   */
  long memberReadSeq(long conversationId, long userId);

  /** Records how far {@code userId} has read; a value below the recorded one is ignored. */
  void saveMemberReadSeq(long conversationId, long userId, long readSeq);

  /**
   * The seq at which the conversation's {@code unread_count} was last taken from the server or
   * restarted; 0 if nothing was recorded (the count then covers the held seq). A read marker is
   * counted by the server at the conversation's visible head ({@code ReadMarker.last_seq}), which
   * can be ahead of the entries this device holds (they follow through {@code sync_groups}); the
   * messenger records that seq here so that those entries are not counted a second time when they
   * arrive, and so that it knows which recalled messages the count includes ({@link
   * UnreadCounter}). The user's own message restarts the count at its seq. Cleared by {@link
   * #clear}; may go down.
   */
  long unreadCountedTo(long conversationId);

  void saveUnreadCountedTo(long conversationId, long seq);

  /**
   * Remembers a send that has not had a definite answer yet, keyed by its {@code client_msg_id}
   * (replacing one with the same id). Saved before the first attempt leaves.
   */
  void savePendingSend(SendMessageRequest request);

  /**
   * Forgets the pending send with this {@code client_msg_id}: the server has answered it
   * definitely.
   */
  void removePendingSend(String clientMsgId);

  /** The pending sends, in the order they were first saved. */
  List<SendMessageRequest> pendingSends();

  /**
   * The user's global notification settings as this device last learned them (a {@code
   * NOTIFY_SETTINGS} update or {@code get_notify_settings}); empty if it never did.
   */
  Optional<NotifySettings> notifySettings();

  void saveNotifySettings(NotifySettings settings);

  /**
   * Forgets everything synchronized, pts and notification settings included: the next catch-up
   * rebuilds from the server. The pending sends stay: they are the user's, not the server's, and a
   * rebuild must not lose them.
   */
  void clear();

  // --- shortcuts over the conversation summary ---

  /**
   * The seq held of the conversation's log: every entry up to it is accounted for; 0 for an unknown
   * conversation.
   */
  default long lastSeq(long conversationId) {
    return conversation(conversationId).map(Conversation::getLastSeq).orElse(0L);
  }

  /** The user's read marker in the conversation; 0 for an unknown conversation. */
  default long readSeq(long conversationId) {
    return conversation(conversationId).map(Conversation::getReadSeq).orElse(0L);
  }

  /**
   * Unread entries, counted as the server counts them: messages after the read marker that the user
   * did not send and that are not recalled (service entries do not count).
   */
  default int unread(long conversationId) {
    return conversation(conversationId).map(Conversation::getUnreadCount).orElse(0);
  }

  /**
   * The user's own state of the conversation (mute, preview exception), kept current by {@code
   * CHAT_STATE} updates; the defaults (not muted, previews as the global switch) for an unknown
   * one. A timed mute is muted while {@code muted_until_ms} is in the future.
   */
  default ChatState chatState(long conversationId) {
    return conversation(conversationId)
        .map(Conversation::getChatState)
        .orElse(ChatState.getDefaultInstance());
  }

  /** The sum of {@link #unread} over all conversations: the badge. */
  default long totalUnread() {
    return conversations().stream().mapToLong(Conversation::getUnreadCount).sum();
  }
}
