package dev.parley.user.account;

import static dev.parley.user.Sql.instant;
import static dev.parley.user.Sql.ts;

import dev.parley.common.error.ParleyException;
import dev.parley.proto.client.Error.Reason;
import dev.parley.user.Sql;
import dev.parley.user.auth.Identifier;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.StatementContext;
import org.jspecify.annotations.Nullable;

/**
 * Table access for {@code usr.accounts}. Absent optional values are NULL in the table and "" in
 * {@link Account}, so that unique constraints ignore them.
 */
public final class Accounts {
  private static final String COLUMNS =
      "user_id, email, phone, password_hash, display_name, username, avatar_file_id, created_at";

  /** Inserts a new account; ACCOUNT_EXISTS when the e-mail or phone already has one. */
  public void insert(Handle h, Account a) {
    try {
      h.createUpdate(
              "INSERT INTO usr.accounts ("
                  + COLUMNS
                  + ", updated_at) VALUES (:id, :email, :phone, :passwordHash,"
                  + " :displayName, NULL, NULL, :now, :now)")
          .bind("id", a.userId())
          .bind("email", nullIfEmpty(a.email()))
          .bind("phone", nullIfEmpty(a.phone()))
          .bind("passwordHash", a.passwordHash())
          .bind("displayName", a.displayName())
          .bind("now", ts(a.createdAt()))
          .execute();
    } catch (JdbiException e) {
      if (Sql.isUniqueViolation(e, "accounts_email_key")
          || Sql.isUniqueViolation(e, "accounts_phone_key")) {
        throw accountExists();
      }
      throw e;
    }
  }

  public Optional<Account> find(Handle h, long userId) {
    return h.createQuery("SELECT " + COLUMNS + " FROM usr.accounts WHERE user_id = :id")
        .bind("id", userId)
        .map(Accounts::map)
        .findOne();
  }

  public Optional<Account> findByIdentifier(Handle h, Identifier identifier) {
    String column = identifier.isEmail() ? "email" : "phone";
    return h.createQuery("SELECT " + COLUMNS + " FROM usr.accounts WHERE " + column + " = :value")
        .bind("value", identifier.value())
        .map(Accounts::map)
        .findOne();
  }

  public Optional<Account> findByUsername(Handle h, String username) {
    return h.createQuery("SELECT " + COLUMNS + " FROM usr.accounts WHERE username = :username")
        .bind("username", username)
        .map(Accounts::map)
        .findOne();
  }

  public List<Account> findAll(Handle h, Collection<Long> userIds) {
    if (userIds.isEmpty()) return List.of();
    return h.createQuery("SELECT " + COLUMNS + " FROM usr.accounts WHERE user_id = ANY(:ids)")
        .bind("ids", userIds.stream().mapToLong(Long::longValue).toArray())
        .map(Accounts::map)
        .list();
  }

  /** Locks the account's row until the transaction ends; false when it does not exist. */
  public boolean lock(Handle h, long userId) {
    return h.createQuery("SELECT 1 FROM usr.accounts WHERE user_id = :id FOR UPDATE")
        .bind("id", userId)
        .mapTo(Integer.class)
        .findOne()
        .isPresent();
  }

  /**
   * Applies the present fields of the change; USERNAME_TAKEN when another account holds the
   * username.
   *
   * @return the account after the change; empty when it does not exist
   */
  public Optional<Account> update(Handle h, long userId, ProfileChange change, Instant now) {
    try {
      return h.createQuery(
              """
              UPDATE usr.accounts SET
                display_name = CASE WHEN :setName THEN CAST(:displayName AS text) ELSE display_name END,
                username = CASE WHEN :setUsername THEN CAST(:username AS text) ELSE username END,
                avatar_file_id = CASE WHEN :setAvatar THEN CAST(:avatar AS text) ELSE avatar_file_id END,
                updated_at = :now
              WHERE user_id = :id
              RETURNING\s"""
                  + COLUMNS)
          .bind("id", userId)
          .bind("setName", change.displayName().isPresent())
          .bind("displayName", change.displayName().orElse(null))
          .bind("setUsername", change.username().isPresent())
          .bind("username", change.username().map(Accounts::nullIfEmpty).orElse(null))
          .bind("setAvatar", change.avatarFileId().isPresent())
          .bind("avatar", change.avatarFileId().map(Accounts::nullIfEmpty).orElse(null))
          .bind("now", ts(now))
          .map(Accounts::map)
          .findOne();
    } catch (JdbiException e) {
      if (Sql.isUniqueViolation(e, "accounts_username_key")) {
        throw new ParleyException(
            Reason.USERNAME_TAKEN, "This username is taken", "username", Duration.ZERO);
      }
      throw e;
    }
  }

  /**
   * Sets the password hash if the stored one is still {@code expected} (compare-and-set, so a
   * change made meanwhile by another device is not silently overwritten).
   *
   * @return whether the hash was replaced
   */
  /**
   * The account's password hash, the account row locked (FOR NO KEY UPDATE, like opening a session)
   * until the transaction ends: a password change commits before this returns, or after the
   * caller's transaction.
   */
  public Optional<String> lockPasswordHash(Handle h, long userId) {
    return h.createQuery(
            "SELECT password_hash FROM usr.accounts WHERE user_id = :id FOR NO KEY UPDATE")
        .bind("id", userId)
        .mapTo(String.class)
        .findOne();
  }

  public boolean replacePasswordHash(
      Handle h, long userId, @Nullable String expected, String hash, Instant now) {
    return h.createUpdate(
                "UPDATE usr.accounts SET password_hash = :hash, updated_at = :now"
                    + " WHERE user_id = :id AND password_hash IS NOT DISTINCT FROM CAST(:expected AS text)")
            .bind("id", userId)
            .bind("hash", hash)
            .bind("expected", expected)
            .bind("now", ts(now))
            .execute()
        == 1;
  }

  public static ParleyException accountExists() {
    return new ParleyException(
        Reason.ACCOUNT_EXISTS,
        "An account with this identifier exists already",
        "identifier",
        Duration.ZERO);
  }

  private static @Nullable String nullIfEmpty(@Nullable String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static String emptyIfNull(String s) {
    return s == null ? "" : s;
  }

  private static Account map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Account(
        rs.getLong("user_id"),
        emptyIfNull(rs.getString("email")),
        emptyIfNull(rs.getString("phone")),
        rs.getString("password_hash"),
        rs.getString("display_name"),
        emptyIfNull(rs.getString("username")),
        emptyIfNull(rs.getString("avatar_file_id")),
        Objects.requireNonNull(instant(rs, "created_at")));
  }
}
