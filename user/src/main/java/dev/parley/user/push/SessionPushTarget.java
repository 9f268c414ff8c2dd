package dev.parley.user.push;

import dev.parley.user.session.Platform;
import java.time.Instant;

/** The push target of one active session, as the push role looks it up. */
public record SessionPushTarget(
    long userId,
    long sessionId,
    String deviceId,
    Platform platform,
    PushTarget target,
    boolean notifyWhileConnected,
    Instant registeredAt) {}
