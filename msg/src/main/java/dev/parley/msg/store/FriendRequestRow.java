package dev.parley.msg.store;

import java.time.Instant;

/** A pending friend request (msg.friend_requests). */
public record FriendRequestRow(long fromUserId, long toUserId, String note, Instant createdAt) {}
