package dev.parley.file.refs;

/** A message that uses a file: entry {@code seq} of conversation {@code conversationId}. */
public record MessageRef(long conversationId, long seq) {}
