package dev.parley.msg.core;

/** The authenticated user (and device session) a request is made for. */
public record Caller(long userId, long sessionId) {}
