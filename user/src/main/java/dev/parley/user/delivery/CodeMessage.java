package dev.parley.user.delivery;

import dev.parley.user.auth.Identifier;
import java.time.Duration;
import java.time.Instant;

/**
 * A verification code on its way to the person who asked for it.
 *
 * @param expiresAt when the code stops being accepted: after that, sending it only confuses
 */
public record CodeMessage(Identifier to, String code, Duration ttl, Instant expiresAt) {

  /** The expiry in whole minutes as shown to people (rounded up, at least 1). */
  public long minutes() {
    return Math.max(1, (ttl.toSeconds() + 59) / 60);
  }

  @Override
  public String toString() {
    // Never let a code reach a log line by accident.
    return "CodeMessage[to=" + to + "]";
  }
}
