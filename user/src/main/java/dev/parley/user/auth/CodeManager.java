package dev.parley.user.auth;

import dev.parley.common.error.ParleyException;
import dev.parley.proto.client.Error.Reason;
import dev.parley.user.UserConfig;
import dev.parley.user.delivery.CodeDispatcher;
import dev.parley.user.delivery.CodeMessage;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Verification codes: issuing (with the resend cool-down), checking (with the attempt limit) and
 * consuming.
 *
 * <p>Invariants: at most one live code per identifier (a new one replaces the old); a code is
 * stored only as HMAC-SHA256(code key, identifier + "\n" + code), binding it to its identifier; a
 * code is consumed only by the transaction of a successful register or login ({@link #consume} runs
 * inside it), so a failure after the check (account exists, account not found) leaves the code
 * usable; wrong tries are counted under the row lock, so concurrent guesses cannot exceed the
 * limit.
 */
public final class CodeManager {
  /** Longest code input that is compared at all; longer input is a malformed request. */
  public static final int MAX_CODE_INPUT = 16;

  private final UserConfig.Code config;
  private final byte[] codeKey;
  private final Jdbi jdbi;
  private final VerificationCodes codes;
  private final CodeDispatcher dispatcher;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param codeKey the key derived for verification codes ({@link KeyDerivation})
   */
  public CodeManager(
      UserConfig.Code config,
      byte[] codeKey,
      Jdbi jdbi,
      VerificationCodes codes,
      CodeDispatcher dispatcher,
      Clock clock) {
    this.config = config;
    this.codeKey = codeKey.clone();
    this.jdbi = jdbi;
    this.codes = codes;
    this.dispatcher = dispatcher;
    this.clock = clock;
  }

  /** What the client is told after a code was sent. */
  public record CodeTicket(int length, Duration ttl, Duration resendAfter) {}

  /** How long until a new code may be requested for the identifier. */
  public Duration cooldownLeft(Identifier identifier) {
    Instant now = clock.instant();
    return jdbi.withHandle(h -> codes.find(h, identifier.value(), false))
        .map(c -> c.cooldownLeft(now, config.resendCooldown()))
        .orElse(Duration.ZERO);
  }

  /**
   * UNAVAILABLE when the identifier's channel cannot take a code now (provider known down, delivery
   * queue full): said before anything is stored or counted, so the user can simply retry later.
   */
  public void requireDeliverable(Identifier identifier) {
    dispatcher.requireAvailable(identifier.channel());
  }

  /**
   * Makes a new code, stores it and hands it to delivery (asynchronous: this returns before the
   * code is sent, and whatever happens to the delivery is invisible to the caller).
   */
  public CodeTicket issue(Identifier identifier) {
    Instant now = clock.instant();
    Instant cooldownCutoff = now.minus(config.resendCooldown());
    String code = newCode();
    Instant expiresAt = now.plus(config.ttl());
    boolean stored =
        jdbi.inTransaction(
            h -> {
              codes.purge(h, now, cooldownCutoff);
              return codes.replace(
                  h, identifier.value(), hash(identifier, code), now, expiresAt, cooldownCutoff);
            });
    if (!stored) throw cooldown(cooldownLeft(identifier));
    dispatcher.dispatch(new CodeMessage(identifier, code, config.ttl(), expiresAt));
    return new CodeTicket(config.length(), config.ttl(), config.resendCooldown());
  }

  /**
   * Checks a presented code inside the caller's transaction, locking the code row until it ends. A
   * wrong try is counted in that transaction: the caller must commit it (return, not throw) before
   * reporting the failure.
   */
  public StoredCode.Check check(Handle h, Identifier identifier, String code) {
    var stored = codes.find(h, identifier.value(), true);
    if (stored.isEmpty()) return StoredCode.Check.EXPIRED;
    StoredCode c = stored.get();
    StoredCode.Check result =
        c.check(hash(identifier, code), clock.instant(), config.maxAttempts());
    boolean wrongTry =
        result == StoredCode.Check.WRONG
            || (result == StoredCode.Check.EXHAUSTED && c.attempts() < config.maxAttempts());
    if (wrongTry) codes.countWrongAttempt(h, identifier.value());
    return result;
  }

  /** Uses up the code; call in the transaction that checked it and made the account or session. */
  public void consume(Handle h, Identifier identifier) {
    codes.delete(h, identifier.value());
  }

  /** The error for a check that did not pass. */
  public static ParleyException failure(StoredCode.Check check) {
    return switch (check) {
      case EXHAUSTED ->
          new ParleyException(
              Reason.CODE_ATTEMPTS_EXCEEDED,
              "Too many wrong codes: request a new code",
              "code",
              Duration.ZERO);
      case WRONG, EXPIRED ->
          new ParleyException(
              Reason.INVALID_CODE,
              "The code is wrong, expired or already used",
              "code",
              Duration.ZERO);
      case OK -> throw new IllegalArgumentException("OK is not a failure");
    };
  }

  static ParleyException cooldown(Duration left) {
    Duration wait = left.isZero() ? Duration.ofSeconds(1) : left;
    return ParleyException.rateLimited(
        Reason.CODE_COOLDOWN, "A code was sent moments ago; wait before asking again", wait);
  }

  String newCode() {
    StringBuilder s = new StringBuilder(config.length());
    for (int i = 0; i < config.length(); i++) s.append((char) ('0' + random.nextInt(10)));
    return s.toString();
  }

  byte[] hash(Identifier identifier, String code) {
    return KeyDerivation.hmacSha256(
        codeKey, (identifier.value() + "\n" + code).getBytes(StandardCharsets.UTF_8));
  }
}
