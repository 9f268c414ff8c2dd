package dev.parley.user.privacy;

import dev.parley.common.privacy.PrivacySettings;
import dev.parley.user.UserEvents;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads and changes privacy settings. A change is read, merged and written under the user's row
 * lock, so two devices changing different settings at once both take effect; the user's other
 * devices then hear the whole new settings ({@code privacy_changed}), after the commit.
 */
public final class PrivacyManager {
  /** Ids per {@link #of} call (the message service asks for at most this many at once). */
  public static final int MAX_LOOKUP = 200;

  private final Jdbi jdbi;
  private final PrivacyTable table;
  private final UserEvents events;
  private final Clock clock;

  public PrivacyManager(Jdbi jdbi, PrivacyTable table, UserEvents events, Clock clock) {
    this.jdbi = jdbi;
    this.table = table;
    this.events = events;
    this.clock = clock;
  }

  public PrivacySettings get(long userId) {
    return of(List.of(userId)).getOrDefault(userId, PrivacySettings.DEFAULTS);
  }

  /** The settings of every given user, the defaults for those without a row. */
  public Map<Long, PrivacySettings> of(Collection<Long> userIds) {
    List<Long> ids = List.copyOf(new LinkedHashSet<>(userIds));
    Map<Long, PrivacySettings> stored = jdbi.withHandle(h -> table.find(h, ids));
    Map<Long, PrivacySettings> all = new HashMap<>();
    for (long id : ids) all.put(id, stored.getOrDefault(id, PrivacySettings.DEFAULTS));
    return all;
  }

  public PrivacySettings set(long userId, long sessionId, PrivacyChange change) {
    PrivacySettings updated =
        jdbi.inTransaction(
            h -> {
              PrivacySettings current = table.getForUpdate(h, userId, clock.instant());
              PrivacySettings merged = change.applyTo(current);
              PrivacyRules.noOverlap(merged, change);
              table.put(h, userId, merged, clock.instant());
              return merged;
            });
    events.privacyChanged(userId, updated, sessionId);
    return updated;
  }
}
