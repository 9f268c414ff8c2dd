package dev.parley.user.account;

import dev.parley.common.error.ParleyException;
import dev.parley.proto.client.Error.Reason;
import dev.parley.user.AvatarRefs;
import dev.parley.user.BlockList;
import dev.parley.user.Throttle;
import dev.parley.user.UserConfig;
import dev.parley.user.UserEvents;
import dev.parley.user.audit.SecurityEvent;
import dev.parley.user.audit.SecurityLog;
import dev.parley.user.auth.Identifier;
import dev.parley.user.auth.PasswordHasher;
import dev.parley.user.session.RevokeReason;
import dev.parley.user.session.SessionManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One's own account and profile, and other users' public profiles. */
public final class ProfileManager {
  private static final Logger log = LoggerFactory.getLogger(ProfileManager.class);
  public static final int MAX_PROFILES = 100;

  private final UserConfig config;
  private final Jdbi jdbi;
  private final Accounts accounts;
  private final PasswordHasher passwords;
  private final UserEvents events;
  private final Throttle throttle;
  private final BlockList blocks;
  private final AvatarRefs avatars;
  private final SessionManager sessions;
  private final SecurityLog security;
  private final Clock clock;

  public ProfileManager(
      UserConfig config,
      Jdbi jdbi,
      Accounts accounts,
      PasswordHasher passwords,
      UserEvents events,
      Throttle throttle,
      BlockList blocks,
      AvatarRefs avatars,
      SessionManager sessions,
      SecurityLog security,
      Clock clock) {
    this.avatars = avatars;
    this.security = security;
    this.config = config;
    this.sessions = sessions;
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

  /**
   * Profiles in request order, duplicates and unknown ids left out; empty request: own profile.
   *
   * <p>User ids are time-based snowflakes, so ids of new accounts can be guessed: scanning one
   * second of ids found a just-registered user in 21 calls. Clients ask for ids they learnt from
   * conversations, contacts and requests, which exist; a scan misses almost always. So every id
   * that names no account the caller may see costs one permit of {@code profile-misses-per-user},
   * and the request fails with RATE_LIMITED when they run out; requests for existing ids are never
   * slowed. A user who blocked the caller is left out exactly like an unknown id, as in {@link
   * #lookup}.
   */
  public List<Profile> profiles(long callerId, List<Long> userIds) {
    if (userIds.size() > MAX_PROFILES) {
      throw ParleyException.invalid(
          "user_ids", "At most " + MAX_PROFILES + " user ids per request");
    }
    List<Long> ids =
        userIds.isEmpty() ? List.of(callerId) : List.copyOf(new LinkedHashSet<>(userIds));
    Map<Long, Profile> found =
        jdbi.withHandle(h -> accounts.findAll(h, ids)).stream()
            .map(Account::profile)
            .collect(
                Collectors.toMap(Profile::userId, Function.identity(), (a, b) -> a, HashMap::new));
    found.keySet().removeAll(blocks.blockersAmong(List.copyOf(found.keySet()), callerId));
    for (int miss = ids.size() - found.size(); miss > 0; miss--) {
      throttle.acquire(
          "profiles:misses:user:" + callerId, config.rateLimits().profileMissesPerUser());
    }
    List<Profile> result = new ArrayList<>(found.size());
    for (Long id : ids) if (found.containsKey(id)) result.add(found.get(id));
    return result;
  }

  /**
   * Which of {@code userIds} name accounts, for the message service: no one hidden, no budget
   * charged (it checks members and recipients the caller named, and answers BLOCKED itself).
   */
  public List<Long> existing(List<Long> userIds) {
    return accountsOf(userIds).stream().map(Account::userId).toList();
  }

  /**
   * Profiles by user id, for the message service's search of a caller's chats and contacts
   * (design.md 14.5): no one hidden, no budget charged. The ids are the caller's own contacts and
   * chat members, never typed by a client; the message service leaves out who blocked the caller.
   */
  public List<Profile> profilesOf(List<Long> userIds) {
    return accountsOf(userIds).stream().map(Account::profile).toList();
  }

  /**
   * Display names by user id, for notifications: no one hidden, no budget charged (the push role
   * names the sender of an entry the recipient may already read).
   */
  public Map<Long, String> displayNames(List<Long> userIds) {
    Map<Long, String> names = new HashMap<>();
    for (Account a : accountsOf(userIds)) names.put(a.userId(), a.profile().displayName());
    return names;
  }

  /** The accounts among {@code userIds}, for the internal calls that hide no one. */
  private List<Account> accountsOf(List<Long> userIds) {
    if (userIds.size() > 2 * MAX_PROFILES) {
      throw ParleyException.invalid(
          "user_ids", "At most " + 2 * MAX_PROFILES + " user ids per request");
    }
    return jdbi.withHandle(h -> accounts.findAll(h, List.copyOf(new LinkedHashSet<>(userIds))));
  }

  /**
   * Applies the change and tells the user's other devices (all but {@code sessionId}).
   *
   * <p>An avatar change also moves the file reference that keeps the picture from being deleted
   * (design.md 11.3), in the file service: the new file's reference is taken (and the file checked:
   * the user's own image) while the account row is locked, the profile written, and after the
   * commit the references taken before are released. The lock orders concurrent changes of one
   * user's avatar, so "release what is older than mine" never releases the avatar a later change
   * wrote. A failure after the take leaves an extra reference (the picture is kept too long), never
   * a profile whose avatar has none; the user's next avatar change releases it.
   */
  public Profile update(long userId, long sessionId, ProfileChange change) {
    if (change.isEmpty()) return account(userId).profile();
    long[] generation = {0};
    Profile profile =
        jdbi.inTransaction(
                h -> {
                  if (change.avatarFileId().isPresent() && accounts.lock(h, userId)) {
                    generation[0] = avatars.take(userId, change.avatarFileId().get());
                  }
                  return accounts.update(h, userId, change, clock.instant());
                })
            .orElseThrow(() -> new ParleyException(Reason.NOT_FOUND, "No such account"))
            .profile();
    if (generation[0] != 0) releaseOldAvatars(userId, generation[0]);
    events.profileUpdated(profile, sessionId);
    return profile;
  }

  private void releaseOldAvatars(long userId, long generation) {
    try {
      avatars.releaseBefore(userId, generation);
    } catch (RuntimeException e) {
      // The profile is written; the old picture only lives longer (see update).
      log.warn("Could not release the old avatar references of user {}: {}", userId, e.toString());
    }
  }

  /**
   * Sets or changes the password. When one is set, {@code currentPassword} must match it
   * (INVALID_CREDENTIALS otherwise, also when it is missing).
   *
   * <p>Every try is rate limited per account and per session before the current password is
   * verified: a session (stolen, or left open on a shared computer) must not become an unlimited
   * password-guessing oracle, which it was at ~42 ms a guess.
   *
   * <p>Unless {@code keepOtherSessions}, every other session of the account is revoked in the same
   * transaction as the change (reason password_changed): whoever may have had the old password must
   * not keep the sessions it opened.
   */
  public void setPassword(
      long userId,
      long sessionId,
      String ip,
      String currentPassword,
      String newPassword,
      boolean keepOtherSessions) {
    passwords.checkPolicy(newPassword, "new_password");
    throttle.acquire(
        "password:session:" + sessionId, config.rateLimits().passwordChangePerSession());
    throttle.acquire("password:user:" + userId, config.rateLimits().passwordChangePerUser());
    Account account = account(userId);
    if (account.hasPassword()) {
      boolean ok =
          !currentPassword.isEmpty()
              && currentPassword.length() <= 4 * passwords.maxLength()
              && passwords.verify(currentPassword, Objects.requireNonNull(account.passwordHash()));
      if (!ok) {
        security.record(
            SecurityEvent.PASSWORD_CHANGE_FAILED, userId, sessionId, ip, "wrong current password");
        throw new ParleyException(
            Reason.INVALID_CREDENTIALS,
            "The current password is wrong",
            "current_password",
            Duration.ZERO);
      }
    }
    String hash = passwords.hash(newPassword);
    Optional<List<Long>> ended =
        jdbi.inTransaction(
            h -> {
              if (!accounts.replacePasswordHash(
                  h, userId, account.passwordHash(), hash, clock.instant())) {
                return Optional.<List<Long>>empty();
              }
              return Optional.of(
                  keepOtherSessions
                      ? List.<Long>of()
                      : sessions.revokeOthersLocked(
                          h, userId, sessionId, RevokeReason.PASSWORD_CHANGED));
            });
    if (ended.isEmpty()) {
      // Another device changed the password between our check and our write: its change stands.
      throw new ParleyException(
          Reason.INVALID_CREDENTIALS,
          "The password was changed meanwhile",
          "current_password",
          Duration.ZERO);
    }
    security.record(
        SecurityEvent.PASSWORD_CHANGED,
        userId,
        sessionId,
        ip,
        "other sessions logged out: " + ended.get().size());
    sessions.announceRevoked(userId, ended.get(), RevokeReason.PASSWORD_CHANGED);
  }

  /** The caller's own security events before {@code before}, newest first. */
  public List<SecurityEvent> securityEvents(long userId, java.time.Instant before, int limit) {
    return security.recent(userId, before, limit);
  }

  /**
   * Records that {@code userId}'s role in a group became {@code role} through {@code actorId}; the
   * change itself lives in the message service, which reports it here once committed.
   */
  public void recordRoleChange(long userId, long groupId, long actorId, String role) {
    security.record(
        SecurityEvent.ROLE_CHANGED,
        userId,
        null,
        null,
        "group=" + groupId + " role=" + role + " by=" + actorId);
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
