package dev.parley.user.session;

/** Whom a valid access token speaks for. */
public record Principal(long userId, long sessionId, String deviceId, Platform platform) {}
