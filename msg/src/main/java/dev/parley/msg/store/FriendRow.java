package dev.parley.msg.store;

import java.time.Instant;

/** One direction of a friendship (msg.friends holds both). */
public record FriendRow(long userId, long friendId, Instant since) {}
