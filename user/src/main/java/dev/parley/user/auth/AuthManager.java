package dev.parley.user.auth;

import dev.parley.common.error.ParleyException;
import dev.parley.common.id.Snowflake;
import dev.parley.proto.client.Error.Reason;
import dev.parley.user.Throttle;
import dev.parley.user.UserConfig;
import dev.parley.user.UserMetrics;
import dev.parley.user.account.Account;
import dev.parley.user.account.Accounts;
import dev.parley.user.audit.SecurityEvent;
import dev.parley.user.audit.SecurityLog;
import dev.parley.user.auth.CodeManager.CodeTicket;
import dev.parley.user.session.Device;
import dev.parley.user.session.IssuedTokens;
import dev.parley.user.session.SessionManager;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * Account bootstrap: code requests, registration and login.
 *
 * <p>No user enumeration: a code request never looks at accounts (it answers and sends the same way
 * for everybody, the code doubling as proof for registration); a password login for an unknown
 * account, or one without a password, costs one dummy Argon2 verification and answers
 * INVALID_CREDENTIALS like a wrong password. ACCOUNT_EXISTS and ACCOUNT_NOT_FOUND are only ever
 * said to someone who presented a valid code, i.e. who owns the identifier.
 *
 * <p>Each register or login is one transaction: check the code (row lock), create or find the
 * account, consume the code, open the session. A failure after the code check rolls everything
 * back, leaving the code usable; a wrong code commits only its attempt count.
 */
public final class AuthManager {
  private final UserConfig config;
  private final Jdbi jdbi;
  private final Accounts accounts;
  private final CodeManager codes;
  private final PasswordHasher passwords;
  private final SessionManager sessions;
  private final Snowflake ids;
  private final Throttle throttle;
  private final UserMetrics metrics;
  private final SecurityLog security;
  private final Clock clock;

  public AuthManager(
      UserConfig config,
      Jdbi jdbi,
      Accounts accounts,
      CodeManager codes,
      PasswordHasher passwords,
      SessionManager sessions,
      Snowflake ids,
      Throttle throttle,
      UserMetrics metrics,
      SecurityLog security,
      Clock clock) {
    this.security = security;
    this.config = config;
    this.jdbi = jdbi;
    this.accounts = accounts;
    this.codes = codes;
    this.passwords = passwords;
    this.sessions = sessions;
    this.ids = ids;
    this.throttle = throttle;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Sends a new code to the identifier. The cool-down is checked before the per-identifier limit,
   * so asking too early does not use up the hourly allowance.
   */
  public CodeTicket requestCode(Identifier identifier, String ip) {
    UserConfig.RateLimits limits = config.rateLimits();
    return measured(
        outcome -> metrics.codeRequested(identifier.channel(), outcome),
        "issued",
        () -> {
          codes.requireDeliverable(identifier);
          throttle.acquirePerIp("code", ip, limits.codePerIp());
          Duration left = codes.cooldownLeft(identifier);
          if (!left.isZero()) throw CodeManager.cooldown(left);
          throttle.acquire("code:id:" + identifier.value(), limits.codePerIdentifier());
          CodeTicket ticket = codes.issue(identifier);
          // No user id: a code request never looks at accounts (see the class comment).
          security.record(SecurityEvent.CODE_REQUESTED, null, null, ip, identifier.masked());
          return ticket;
        });
  }

  private record CodeResult(StoredCode.Check check, SessionManager.@Nullable Opened opened) {}

  /**
   * Creates the account proven by the code and opens its first session.
   *
   * @param password "" for an account without a password; else already checked against the policy
   * @param displayName already validated
   */
  public IssuedTokens register(
      Identifier identifier,
      String code,
      String password,
      String displayName,
      Device device,
      String ip) {
    return measured(
        metrics::registration,
        "success",
        () -> {
          throttle.acquirePerIp("register", ip, config.rateLimits().registerPerIp());
          // Hashed before the transaction: Argon2 is slow on purpose and must not hold row locks.
          String hash = password.isEmpty() ? null : passwords.hash(password);
          CodeResult result =
              jdbi.inTransaction(
                  h -> {
                    StoredCode.Check check = codes.check(h, identifier, code);
                    if (check != StoredCode.Check.OK) return new CodeResult(check, null);
                    if (accounts.findByIdentifier(h, identifier).isPresent())
                      throw Accounts.accountExists();
                    long userId = ids.next();
                    accounts.insert(
                        h, Account.create(userId, identifier, hash, displayName, clock.instant()));
                    codes.consume(h, identifier);
                    return new CodeResult(check, sessions.open(h, userId, device, ip));
                  });
          IssuedTokens tokens = finish(result);
          security.record(
              SecurityEvent.REGISTERED,
              tokens.userId(),
              tokens.sessionId(),
              ip,
              identifier.masked());
          return tokens;
        });
  }

  /**
   * Logs in with a password; INVALID_CREDENTIALS for a wrong password and an unknown account alike.
   */
  public IssuedTokens loginWithPassword(
      Identifier identifier, String password, Device device, String ip) {
    return measured(
        outcome -> metrics.login("password", outcome),
        "success",
        () -> {
          acquireLoginPermits(identifier, ip);
          var account =
              jdbi.withHandle(h -> accounts.findByIdentifier(h, identifier))
                  .filter(Account::hasPassword);
          boolean ok =
              account.isPresent()
                  ? passwords.verify(password, Objects.requireNonNull(account.get().passwordHash()))
                  : passwords.verifyDummy(password);
          if (!ok) {
            Long known = account.map(Account::userId).orElse(null);
            security.record(
                SecurityEvent.LOGIN_FAILED, known, null, ip, "password " + identifier.masked());
            throw new ParleyException(Reason.INVALID_CREDENTIALS, "Wrong identifier or password");
          }
          long userId = account.get().userId();
          String verified = account.get().passwordHash();
          // The password may have been changed while it was being verified, and the change has
          // already ended every other session: open one only if, under the account lock, the hash
          // is still the one verified, or a session with the old password would survive the change.
          Optional<SessionManager.Opened> opened =
              jdbi.inTransaction(
                  h ->
                      accounts
                          .lockPasswordHash(h, userId)
                          .filter(current -> current.equals(verified))
                          .map(current -> sessions.open(h, userId, device, ip)));
          if (opened.isEmpty()) {
            security.record(
                SecurityEvent.LOGIN_FAILED,
                userId,
                null,
                ip,
                "password changed during login " + identifier.masked());
            throw new ParleyException(Reason.INVALID_CREDENTIALS, "Wrong identifier or password");
          }
          throttle.reset("login:id:" + identifier.value());
          sessions.announce(opened.get());
          security.record(
              SecurityEvent.LOGIN, userId, opened.get().session().sessionId(), ip, "password");
          return opened.get().tokens();
        });
  }

  /**
   * Logs in with a code; ACCOUNT_NOT_FOUND (code left unused) when the identifier has no account.
   */
  public IssuedTokens loginWithCode(Identifier identifier, String code, Device device, String ip) {
    return measured(
        outcome -> metrics.login("code", outcome),
        "success",
        () -> {
          acquireLoginPermits(identifier, ip);
          CodeResult result =
              jdbi.inTransaction(
                  h -> {
                    StoredCode.Check check = codes.check(h, identifier, code);
                    if (check != StoredCode.Check.OK) return new CodeResult(check, null);
                    Account account =
                        accounts
                            .findByIdentifier(h, identifier)
                            .orElseThrow(
                                () ->
                                    new ParleyException(
                                        Reason.ACCOUNT_NOT_FOUND,
                                        "No account for this identifier: register instead",
                                        "identifier",
                                        Duration.ZERO));
                    codes.consume(h, identifier);
                    return new CodeResult(check, sessions.open(h, account.userId(), device, ip));
                  });
          if (result.check() != StoredCode.Check.OK) {
            security.record(
                SecurityEvent.LOGIN_FAILED, null, null, ip, "code " + identifier.masked());
          }
          IssuedTokens tokens = finish(result);
          throttle.reset("login:id:" + identifier.value());
          security.record(SecurityEvent.LOGIN, tokens.userId(), tokens.sessionId(), ip, "code");
          return tokens;
        });
  }

  private void acquireLoginPermits(Identifier identifier, String ip) {
    throttle.acquirePerIp("login", ip, config.rateLimits().loginPerIp());
    throttle.acquire("login:id:" + identifier.value(), config.rateLimits().loginPerIdentifier());
  }

  /** After commit: report a failed code check, or announce the new session. */
  private IssuedTokens finish(CodeResult result) {
    if (result.check() != StoredCode.Check.OK) throw CodeManager.failure(result.check());
    SessionManager.Opened opened =
        Objects.requireNonNull(result.opened(), "an OK check opened a session");
    sessions.announce(opened);
    return opened.tokens();
  }

  /**
   * Runs the action and counts its outcome: the success label, or the error reason in lower case.
   */
  private static <T> T measured(Consumer<String> count, String success, Supplier<T> action) {
    try {
      T result = action.get();
      count.accept(success);
      return result;
    } catch (ParleyException e) {
      count.accept(e.reason().name().toLowerCase(Locale.ROOT));
      throw e;
    } catch (RuntimeException e) {
      count.accept("error");
      throw e;
    }
  }
}
