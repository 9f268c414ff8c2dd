package dev.parley.msg.presence;

import dev.parley.common.presence.PresenceStatus;
import dev.parley.common.presence.PresenceStatus.Status;
import dev.parley.common.privacy.PrivacySettings;
import dev.parley.msg.core.UserDirectory;
import dev.parley.msg.store.Relations;
import dev.parley.msg.store.Tx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * get_presence: gathers what {@link PresenceRule} needs for a viewer and up to 100 targets in a
 * bounded number of reads, whatever the count: one call to the user service (everyone's settings,
 * the viewer's included), one read of friendships and one of blocks, one presence lookup.
 */
public final class PresenceReader {
  public static final int MAX_USERS = 100;

  private final Tx tx;
  private final Relations relations;
  private final UserDirectory users;
  private final PresenceStatus presence;
  private final PresenceRule rule;

  public PresenceReader(
      Tx tx, Relations relations, UserDirectory users, PresenceStatus presence, PresenceRule rule) {
    this.tx = tx;
    this.relations = relations;
    this.users = users;
    this.presence = presence;
    this.rule = rule;
  }

  /**
   * @param targets distinct user ids, at most {@link #MAX_USERS}
   * @return what the viewer may know of each target, in the order given
   */
  public Map<Long, Seen> presence(long viewerId, List<Long> targets) {
    List<Long> everyone = new ArrayList<>(targets);
    everyone.add(viewerId);
    Map<Long, PrivacySettings> settings = users.privacy(everyone);
    Set<Long> friends = tx.read(h -> relations.friendsAmong(h, viewerId, targets));
    Set<Long> blockers = tx.read(h -> relations.blockersAmong(h, viewerId, targets));
    Map<Long, Status> status = presence.statusOf(targets);
    PrivacySettings mine = settings.getOrDefault(viewerId, PrivacySettings.DEFAULTS);
    Map<Long, Seen> seen = new LinkedHashMap<>();
    for (long target : targets)
      seen.put(
          target,
          rule.decide(
              new PresenceRule.Question(
                  viewerId,
                  mine,
                  target,
                  settings.getOrDefault(target, PrivacySettings.DEFAULTS),
                  friends.contains(target),
                  blockers.contains(target),
                  status.getOrDefault(target, Status.UNKNOWN))));
    return seen;
  }
}
