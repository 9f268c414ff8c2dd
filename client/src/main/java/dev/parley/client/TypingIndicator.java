package dev.parley.client;

import dev.parley.proto.client.TypingState;
import java.time.Instant;

/**
 * A member typing (or uploading) in a conversation, or no longer: what {@link Messenger#onTyping}
 * reports.
 *
 * @param action CANCEL when the indicator ended: the member cancelled it, or it expired without
 *     being renewed
 * @param expiresAt when the indicator goes out unless renewed; for CANCEL, when it ended
 */
public record TypingIndicator(
    long conversationId, long userId, TypingState.Action action, Instant expiresAt) {

  public boolean stopped() {
    return action == TypingState.Action.CANCEL;
  }
}
