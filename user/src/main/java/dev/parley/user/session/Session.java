package dev.parley.user.session;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A login on one device.
 *
 * @param revokedAt null while the session is active
 * @param revokeReason null while active; else "logout", "revoked", "refresh_token_reused" or
 *     "replaced"
 */
public record Session(
    long sessionId,
    long userId,
    String deviceId,
    Platform platform,
    String deviceName,
    String createdIp,
    String lastIp,
    Instant createdAt,
    Instant lastSeenAt,
    @Nullable Instant revokedAt,
    @Nullable String revokeReason) {

  public boolean active() {
    return revokedAt == null;
  }
}
