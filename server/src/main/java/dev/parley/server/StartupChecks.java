package dev.parley.server;

import dev.parley.common.id.Snowflake;

/**
 * Refuses configurations that would run but be wrong. In production, development shortcuts are
 * refused: generated secrets and code delivery that only writes to the log. A generated token key
 * invalidates every token when the data directory is lost or a backup is restored elsewhere; a
 * generated content key is worse: it sits unnoticed next to the data it encrypts, and losing it (or
 * restoring the database without it) makes every stored message unreadable.
 */
public final class StartupChecks {
  private StartupChecks() {}

  public static void verify(ParleyConfig config) {
    var node = config.node();
    if (node.workerId() < -1 || node.workerId() > Snowflake.MAX_WORKER_ID) {
      throw new IllegalArgumentException(
          "node.worker-id must be -1 (automatic) or 0.." + Snowflake.MAX_WORKER_ID);
    }
    var gateway = config.gateway();
    if (gateway.heartbeatInterval().compareTo(gateway.idleTimeout()) >= 0) {
      throw new IllegalArgumentException(
          "gateway.heartbeat-interval must be shorter than gateway.idle-timeout, or idle clients are cut off");
    }
    if (node.production()) {
      if (config.user().tokenKey() == null || config.user().tokenKey().isBlank()) {
        throw new IllegalArgumentException(
            "production requires user.token-key (base64, at least 32 bytes)");
      }
      if (config.msg().contentKeys() == null || config.msg().contentKeys().isEmpty()) {
        throw new IllegalArgumentException(
            "production requires msg.content-keys (key id -> base64 of 32 random bytes), kept and backed up"
                + " apart from the database");
      }
      if ("log".equals(config.user().mail().mode()) && "log".equals(config.user().sms().mode())) {
        throw new IllegalArgumentException(
            "production requires a real code channel: set user.mail.mode=smtp and/or user.sms.mode=http");
      }
    }
  }
}
