package dev.parley.client;

import dev.parley.proto.client.SendMessageRequest;

/**
 * Where a message goes: an existing conversation, or the one-to-one conversation with a user
 * (created by the first message). Exactly one of the two ids is set.
 */
public record Recipient(long conversationId, long userId) {
  public Recipient {
    if ((conversationId == 0) == (userId == 0)) {
      throw new IllegalArgumentException(
          "set exactly one of conversationId and userId, got " + conversationId + " and " + userId);
    }
  }

  public static Recipient conversation(long conversationId) {
    return new Recipient(conversationId, 0);
  }

  public static Recipient user(long userId) {
    return new Recipient(0, userId);
  }

  SendMessageRequest.Builder applyTo(SendMessageRequest.Builder request) {
    return conversationId != 0
        ? request.setConversationId(conversationId)
        : request.setUserId(userId);
  }
}
