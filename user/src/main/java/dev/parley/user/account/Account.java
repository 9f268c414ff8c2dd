package dev.parley.user.account;

import dev.parley.user.auth.Identifier;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A user as stored. email, phone, username and avatarFileId are empty strings when absent (NULL in
 * the table); at least one of email and phone is present.
 *
 * @param passwordHash PHC string; null when the account has no password (code login only)
 */
public record Account(
    long userId,
    String email,
    String phone,
    @Nullable String passwordHash,
    String displayName,
    String username,
    String avatarFileId,
    Instant createdAt) {

  /** A new account proven by the identifier's code. */
  public static Account create(
      long userId,
      Identifier identifier,
      @Nullable String passwordHash,
      String displayName,
      Instant now) {
    return new Account(
        userId,
        identifier.isEmail() ? identifier.value() : "",
        identifier.isEmail() ? "" : identifier.value(),
        passwordHash,
        displayName,
        "",
        "",
        now);
  }

  public boolean hasPassword() {
    return passwordHash != null;
  }

  public Profile profile() {
    return new Profile(userId, displayName, username, avatarFileId);
  }

  @Override
  public String toString() {
    return "Account[userId=" + userId + "]";
  }
}
