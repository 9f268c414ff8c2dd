package dev.parley.client;

import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.Message;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a device keeps between runs so that it can catch up instead of starting over: the position of the
 * user's update feed it has applied ({@link #pts()}), a summary per conversation, the entries it holds,
 * and how far other members have read. {@link Messenger} is its only writer; an application reads it (its
 * own implementation may be a database, {@link MemorySyncStore} keeps everything in memory).
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>Entries are keyed by (conversation_id, seq): {@link #saveMessage} inserts or replaces (a recall
 *       replaces the target with its content-less copy).
 *   <li>The writer saves {@link #savePts pts} only after everything it covers is saved. A store that
 *       loses the last writes (a crash) therefore has a pts that is too old, never too new: the next
 *       catch-up fetches those updates again, and applying them twice is harmless (entries are keyed,
 *       read markers only move forward).
 *   <li>Implementations must be safe for concurrent use: the messenger writes from its own thread while
 *       the application reads from others. A reader may see a write half done (an entry saved before its
 *       conversation's summary); the store need not be transactional.
 * </ul>
 *
 * <p>The summary ({@link Conversation}) is the server's from the last {@code get_conversations}, with
 * the fields that follow the feed kept current by the messenger: {@code last_seq}, {@code last_message},
 * {@code last_activity_ms}, {@code read_seq}, {@code unread_count} and (direct) {@code peer_read_seq}. A
 * conversation first seen through an update has only those fields.
 */
public interface SyncStore {

  /** The feed position everything in this store reflects; empty for a new device (or after {@link #clear}). */
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

  /** How far {@code userId} has read in a conversation, as far as this device knows; 0 if unknown. */
  long memberReadSeq(long conversationId, long userId);

  /** Records how far {@code userId} has read; a value below the recorded one is ignored. */
  void saveMemberReadSeq(long conversationId, long userId, long readSeq);

  /** Forgets everything, pts included: the next catch-up rebuilds from the server. */
  void clear();

  // --- shortcuts over the conversation summary ---

  /** The seq of the newest entry this device has accounted for; 0 for an unknown conversation. */
  default long lastSeq(long conversationId) {
    return conversation(conversationId).map(Conversation::getLastSeq).orElse(0L);
  }

  /** The user's read marker in the conversation; 0 for an unknown conversation. */
  default long readSeq(long conversationId) {
    return conversation(conversationId).map(Conversation::getReadSeq).orElse(0L);
  }

  /**
   * Unread entries, counted as the server counts them: messages after the read marker that the user did
   * not send and that are not recalled (service entries do not count).
   */
  default int unread(long conversationId) {
    return conversation(conversationId).map(Conversation::getUnreadCount).orElse(0);
  }

  /** The sum of {@link #unread} over all conversations: the badge. */
  default long totalUnread() {
    return conversations().stream().mapToLong(Conversation::getUnreadCount).sum();
  }
}
