package dev.parley.user.privacy;

import static dev.parley.user.Sql.ts;

import dev.parley.common.privacy.Audience;
import dev.parley.common.privacy.PrivacySettings;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Table access for {@code usr.privacy_settings}: one row per user who changed a default; no row
 * means {@link PrivacySettings#DEFAULTS}.
 */
public final class PrivacyTable {
  private static final String COLUMNS =
      "user_id, forwards, last_seen, last_seen_always, last_seen_never";

  /**
   * The user's settings, their row locked for the rest of the transaction (a change is read,
   * merged, written). A missing row is first written with the defaults, so that two first changes
   * at once serialize on it too rather than both merging into the defaults.
   */
  public PrivacySettings getForUpdate(Handle h, long userId, Instant now) {
    h.createUpdate(
            "INSERT INTO usr.privacy_settings (user_id, forwards, last_seen, last_seen_always,"
                + " last_seen_never, updated_at) VALUES (:user, 'everyone', 'everyone', '{}', '{}',"
                + " :now) ON CONFLICT (user_id) DO NOTHING")
        .bind("user", userId)
        .bind("now", ts(now))
        .execute();
    return h.createQuery(
            "SELECT " + COLUMNS + " FROM usr.privacy_settings WHERE user_id = :user FOR UPDATE")
        .bind("user", userId)
        .map((rs, ctx) -> settings(rs))
        .one();
  }

  /** The stored settings of those of {@code userIds} who have a row. */
  public Map<Long, PrivacySettings> find(Handle h, Collection<Long> userIds) {
    Map<Long, PrivacySettings> found = new HashMap<>();
    if (userIds.isEmpty()) return found;
    h.createQuery("SELECT " + COLUMNS + " FROM usr.privacy_settings WHERE user_id = ANY(:users)")
        .bind("users", userIds.toArray(Long[]::new))
        .map((rs, ctx) -> Map.entry(rs.getLong("user_id"), settings(rs)))
        .forEach(e -> found.put(e.getKey(), e.getValue()));
    return found;
  }

  public void put(Handle h, long userId, PrivacySettings s, Instant now) {
    h.createUpdate(
            "INSERT INTO usr.privacy_settings (user_id, forwards, last_seen, last_seen_always,"
                + " last_seen_never, updated_at) VALUES (:user, :forwards, :lastSeen, :always,"
                + " :never, :now) ON CONFLICT (user_id) DO UPDATE SET forwards = excluded.forwards,"
                + " last_seen = excluded.last_seen, last_seen_always = excluded.last_seen_always,"
                + " last_seen_never = excluded.last_seen_never, updated_at = excluded.updated_at")
        .bind("user", userId)
        .bind("forwards", s.forwards().stored())
        .bind("lastSeen", s.lastSeen().stored())
        .bind("always", s.lastSeenAlways().toArray(Long[]::new))
        .bind("never", s.lastSeenNever().toArray(Long[]::new))
        .bind("now", ts(now))
        .execute();
  }

  private static PrivacySettings settings(ResultSet rs) throws SQLException {
    return new PrivacySettings(
        Audience.fromStored(rs.getString("forwards")),
        Audience.fromStored(rs.getString("last_seen")),
        ids(rs.getArray("last_seen_always")),
        ids(rs.getArray("last_seen_never")));
  }

  private static List<Long> ids(Array array) throws SQLException {
    return List.of((Long[]) array.getArray());
  }
}
