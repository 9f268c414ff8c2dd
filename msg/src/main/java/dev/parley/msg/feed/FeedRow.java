package dev.parley.msg.feed;

/** A stored feed row: the item plus its position. */
public record FeedRow(long pts, FeedKind kind, long conversationId, long seq, long otherUserId, byte[] payload) {}
