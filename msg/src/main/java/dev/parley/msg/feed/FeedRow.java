package dev.parley.msg.feed;

import org.jspecify.annotations.Nullable;

/** A stored feed row: the item plus its position. */
public record FeedRow(
    long pts,
    FeedKind kind,
    long conversationId,
    long seq,
    long otherUserId,
    @Nullable FeedPayload payload) {

  /** The item at {@code pts}, as a row (for live delivery of what was just written). */
  public static FeedRow of(FeedItem item, long pts) {
    return new FeedRow(
        pts, item.kind(), item.conversationId(), item.seq(), item.otherUserId(), item.payload());
  }
}
