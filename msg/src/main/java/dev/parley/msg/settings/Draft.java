package dev.parley.msg.settings;

import java.time.Instant;

/**
 * The unsent message a user is composing in a conversation, synced to all their devices. Stored
 * encrypted like entry content (design.md 13.3).
 *
 * @param replyToSeq the message the draft replies to; 0 for none
 * @param updatedAt when it was saved (server time)
 */
public record Draft(String text, long replyToSeq, Instant updatedAt) {}
