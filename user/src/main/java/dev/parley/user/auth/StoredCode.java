package dev.parley.user.auth;

import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;

/**
 * A verification code as stored, and the rules that decide what a presented code is worth. Pure, so
 * the rules are tested with plain instants.
 *
 * @param attempts wrong tries so far
 */
public record StoredCode(
    String identifier, byte[] codeHash, Instant createdAt, Instant expiresAt, int attempts) {

  public enum Check {
    /** Right code, alive: may be consumed. */
    OK,
    /** Wrong code; the attempt is counted and tries remain. */
    WRONG,
    /** Wrong code that used up the last try, or any try on a code that is already dead. */
    EXHAUSTED,
    /** Expired (also what a missing or already-used code is treated as). */
    EXPIRED
  }

  /**
   * Judges a presented code. The order matters: an exhausted code stays exhausted (the client is
   * told to request a new one) even when it has also expired or the right code is presented now.
   *
   * @param presentedHash HMAC of the presented code, same key and input layout as {@link #codeHash}
   */
  public Check check(byte[] presentedHash, Instant now, int maxAttempts) {
    if (attempts >= maxAttempts) return Check.EXHAUSTED;
    if (!now.isBefore(expiresAt)) return Check.EXPIRED;
    if (MessageDigest.isEqual(codeHash, presentedHash)) return Check.OK;
    return attempts + 1 >= maxAttempts ? Check.EXHAUSTED : Check.WRONG;
  }

  /** How long until a new code may be sent; zero when it may be sent now. */
  public Duration cooldownLeft(Instant now, Duration cooldown) {
    Duration left = Duration.between(now, createdAt.plus(cooldown));
    return left.isNegative() ? Duration.ZERO : left;
  }
}
