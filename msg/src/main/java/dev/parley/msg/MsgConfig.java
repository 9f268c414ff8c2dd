package dev.parley.msg;

import java.time.Duration;
import java.util.Map;

/**
 * The {@code msg} section of the configuration; see parley-defaults.yaml for each key.
 *
 * @param directChat {@code anyone} or {@code friends}: who may start and continue a one-to-one chat
 * @param contentKeys key id (1..32767) to base64 AES-256 key; empty: generated in the data
 *     directory
 * @param activeContentKey the key new rows are encrypted with; 0 = the highest configured id
 * @param sendWriters threads storing batches of sends (group commit); each uses one database
 *     connection
 * @param editWindow how long senders may edit their messages (design.md 13)
 * @param maxPinnedChats how many chats one user may pin (design.md 13.1)
 */
public record MsgConfig(
    String directChat,
    int maxGroupMembers,
    int maxTextLength,
    Duration recallWindow,
    Duration feedRetention,
    Duration historyRetention,
    Map<String, String> contentKeys,
    int activeContentKey,
    int sendWriters,
    Duration editWindow,
    int maxPinnedChats) {

  /** The default pin limit, for configurations written before it existed. */
  public static final int DEFAULT_MAX_PINNED_CHATS = 10;

  public MsgConfig(
      String directChat,
      int maxGroupMembers,
      int maxTextLength,
      Duration recallWindow,
      Duration feedRetention,
      Duration historyRetention,
      Map<String, String> contentKeys,
      int activeContentKey,
      int sendWriters,
      Duration editWindow) {
    this(
        directChat,
        maxGroupMembers,
        maxTextLength,
        recallWindow,
        feedRetention,
        historyRetention,
        contentKeys,
        activeContentKey,
        sendWriters,
        editWindow,
        DEFAULT_MAX_PINNED_CHATS);
  }

  public boolean friendsOnly() {
    return "friends".equalsIgnoreCase(directChat);
  }
}
