package dev.parley.user.account;

import dev.parley.common.error.ParleyException;
import dev.parley.proto.client.Error.Reason;
import dev.parley.user.Throttle;
import dev.parley.user.BlockList;
import dev.parley.user.UserConfig;
import dev.parley.user.UserEvents;
import dev.parley.user.auth.Identifier;
import dev.parley.user.auth.PasswordHasher;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/** One's own account and profile, and other users' public profiles. */
public final class ProfileManager {
  public static final int MAX_PROFILES = 100;

  private final UserConfig config;
  private final Jdbi jdbi;
  private final Accounts accounts;
  private final PasswordHasher passwords;
  private final UserEvents events;
  private final Throttle throttle;
  private final BlockList blocks;
  private final Clock clock;

  public ProfileManager(
      UserConfig config,
      Jdbi jdbi,
      Accounts accounts,
      PasswordHasher passwords,
      UserEvents events,
      Throttle throttle,
      BlockList blocks,
      Clock clock) {
    this.config = config;
    this.blocks = blocks;
    this.jdbi = jdbi;
    this.accounts = accounts;
    this.passwords = passwords;
    this.events = events;
    this.throttle = throttle;
    this.clock = clock;
  }

  /** How another user is looked up: exact match only, so nothing can be enumerated by prefix. */
  public sealed interface LookupKey {
    record ByUsername(String username) implements LookupKey {}

    record ByIdentifier(Identifier identifier) implements LookupKey {}
  }

  public Account account(long userId) {
    return jdbi.withHandle(h -> accounts.find(h, userId))
        .orElseThrow(() -> new ParleyException(Reason.NOT_FOUND, "No such account"));
  }

  /** Profiles in request order, duplicates and unknown ids left out; empty request: own profile. */
  public List<Profile> profiles(long callerId, List<Long> userIds) {
    if (userIds.size() > MAX_PROFILES) {
      throw ParleyException.invalid("user_ids", "At most " + MAX_PROFILES + " user ids per request");
    }
    List<Long> ids = userIds.isEmpty() ? List.of(callerId) : List.copyOf(new LinkedHashSet<>(userIds));
    Map<Long, Profile> found =
        jdbi.withHandle(h -> accounts.findAll(h, ids)).stream()
            .map(Account::profile)
            .collect(Collectors.toMap(Profile::userId, Function.identity()));
    List<Profile> result = new ArrayList<>(found.size());
    for (Long id : ids) if (found.containsKey(id)) result.add(found.get(id));
    return result;
  }

  /** Applies the change and tells the user's other devices (all but {@code sessionId}). */
  public Profile update(long userId, long sessionId, ProfileChange change) {
    if (change.isEmpty()) return account(userId).profile();
    Profile profile =
        jdbi.inTransaction(h -> accounts.update(h, userId, change, clock.instant()))
            .orElseThrow(() -> new ParleyException(Reason.NOT_FOUND, "No such account"))
            .profile();
    events.profileUpdated(profile, sessionId);
    return profile;
  }

  /**
   * Sets or changes the password. When one is set, {@code currentPassword} must match it
   * (INVALID_CREDENTIALS otherwise, also when it is missing).
   */
  public void setPassword(long userId, String currentPassword, String newPassword) {
    passwords.checkPolicy(newPassword, "new_password");
    Account account = account(userId);
    if (account.hasPassword()) {
      boolean ok =
          !currentPassword.isEmpty()
              && currentPassword.length() <= 4 * passwords.maxLength()
              && passwords.verify(currentPassword, Objects.requireNonNull(account.passwordHash()));
      if (!ok) {
        throw new ParleyException(Reason.INVALID_CREDENTIALS, "The current password is wrong", "current_password", Duration.ZERO);
      }
    }
    String hash = passwords.hash(newPassword);
    boolean replaced =
        jdbi.withHandle(h -> accounts.replacePasswordHash(h, userId, account.passwordHash(), hash, clock.instant()));
    if (!replaced) {
      // Another device changed the password between our check and our write: its change stands.
      throw new ParleyException(Reason.INVALID_CREDENTIALS, "The password was changed meanwhile", "current_password", Duration.ZERO);
    }
  }

  /** Finds one user by exact username, e-mail or phone; rate limited per caller. */
  public Profile lookup(long callerId, LookupKey key) {
    throttle.acquire("lookup:user:" + callerId, config.rateLimits().lookupPerUser());
    Optional<Account> found =
        jdbi.withHandle(
            h ->
                switch (key) {
                  case LookupKey.ByUsername u -> accounts.findByUsername(h, u.username());
                  case LookupKey.ByIdentifier i -> accounts.findByIdentifier(h, i.identifier());
                });
    return found
        .filter(a -> !blocks.hasBlocked(a.userId(), callerId))
        .map(Account::profile)
        .orElseThrow(() -> new ParleyException(Reason.NOT_FOUND, "No such user"));
  }
}
