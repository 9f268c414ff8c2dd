package dev.parley.msg.feed;

import org.jspecify.annotations.Nullable;

/**
 * One update for one user, before it has a pts. Only the fields that the kind uses are set (0 /
 * null otherwise): ENTRY (conversationId, seq), READ_MARKER (conversationId, seq = read seq,
 * payload), READ_RECEIPT (conversationId, seq = read seq, otherUserId = reader), relation kinds
 * (otherUserId, payload), CHAT_STATE (conversationId, payload), NOTIFY_SETTINGS (payload).
 */
public record FeedItem(
    long userId,
    FeedKind kind,
    long conversationId,
    long seq,
    long otherUserId,
    @Nullable FeedPayload payload) {

  public static FeedItem entry(long userId, long conversationId, long seq) {
    return new FeedItem(userId, FeedKind.ENTRY, conversationId, seq, 0, null);
  }

  public static FeedItem readMarker(long userId, FeedPayload.ReadMarker marker) {
    return new FeedItem(
        userId, FeedKind.READ_MARKER, marker.conversationId(), marker.readSeq(), 0, marker);
  }

  public static FeedItem readReceipt(
      long userId, long conversationId, long readerId, long readSeq) {
    return new FeedItem(userId, FeedKind.READ_RECEIPT, conversationId, readSeq, readerId, null);
  }

  public static FeedItem chatState(long userId, FeedPayload.ChatStateChanged changed) {
    return new FeedItem(userId, FeedKind.CHAT_STATE, changed.conversationId(), 0, 0, changed);
  }

  public static FeedItem notifySettings(long userId, FeedPayload.NotifySettingsChanged changed) {
    return new FeedItem(userId, FeedKind.NOTIFY_SETTINGS, 0, 0, 0, changed);
  }

  public static FeedItem relation(
      long userId, FeedKind kind, long otherUserId, FeedPayload payload) {
    return new FeedItem(userId, kind, 0, 0, otherUserId, payload);
  }
}
