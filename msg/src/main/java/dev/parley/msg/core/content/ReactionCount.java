package dev.parley.msg.core.content;

/** How many members reacted to a message with {@code emoji}. */
public record ReactionCount(String emoji, int count) {}
