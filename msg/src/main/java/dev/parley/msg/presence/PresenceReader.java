package dev.parley.msg.presence;

import dev.parley.common.presence.PresenceStatus;
import dev.parley.common.presence.PresenceStatus.Status;
import dev.parley.common.privacy.PrivacySettings;
import dev.parley.msg.core.UserDirectory;
import dev.parley.msg.store.FriendRow;
import dev.parley.msg.store.Relations;
import dev.parley.msg.store.Tx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gathers what {@link PresenceRule} needs, in a bounded number of reads whatever the count, for two
 * questions: get_presence (a viewer and up to 100 targets: one call to the user service for
 * everyone's settings, one read of friendships and one of blocks, one presence lookup), and who
 * hears a user's live presence change ({@link #audienceOf}, design.md 13.2).
 *
 * <p>The audience of a change: the connected users to whom get_presence would show it exactly.
 * Candidates are the user's friends and the users on their always-allow list (the only people a
 * change can matter to who can be enumerated; under {@code everyone} a stranger still sees it, by
 * asking); of those, only the ones online now, at most {@link #MAX_VIEWERS}, and of those only the
 * ones the rule shows the exact value. Viewers who would see only a coarse value get nothing:
 * online and "just left" are both "recently" to them, so the value does not change, and an event at
 * that moment would tell them exactly what the setting hides. A viewer the target blocked, or on
 * the target's never-allow list, or whose own last seen is nobody (reciprocity), is such a viewer.
 * Settings are read at each change, so a change of settings applies to the next event at once. Cost
 * per change: one friends read, one blocks read, one presence lookup of the candidates, and one
 * batched settings call for the online ones.
 */
public final class PresenceReader {
  public static final int MAX_USERS = 100;

  /** Beyond this many online candidates for a change the rest are not told (they can still ask). */
  public static final int MAX_VIEWERS = 1_000;

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

  /**
   * @param status the target's status now, online or with a last seen
   * @return the users to tell, each of whom sees exactly {@code status}
   */
  public List<Long> audienceOf(long target, Status status) {
    PrivacySettings mine =
        users.privacy(List.of(target)).getOrDefault(target, PrivacySettings.DEFAULTS);
    Set<Long> friends = new HashSet<>();
    for (FriendRow f : tx.read(h -> relations.friends(h, target))) friends.add(f.friendId());
    Set<Long> candidates = new LinkedHashSet<>(friends);
    candidates.addAll(mine.lastSeenAlways());
    candidates.removeAll(mine.lastSeenNever());
    candidates.remove(target);
    if (candidates.isEmpty()) return List.of();

    List<Long> online = new ArrayList<>();
    presence
        .statusOf(candidates)
        .forEach(
            (user, s) -> {
              if (s.online() && online.size() < MAX_VIEWERS) online.add(user);
            });
    if (online.isEmpty()) return List.of();

    Set<Long> blocked = new HashSet<>(tx.read(h -> relations.blocked(h, target)));
    Map<Long, PrivacySettings> theirs = users.privacy(online);
    List<Long> viewers = new ArrayList<>();
    for (long viewer : online) {
      Seen seen =
          rule.decide(
              new PresenceRule.Question(
                  viewer,
                  theirs.getOrDefault(viewer, PrivacySettings.DEFAULTS),
                  target,
                  mine,
                  friends.contains(viewer),
                  blocked.contains(viewer),
                  status));
      if (!(seen instanceof Seen.Coarse)) viewers.add(viewer);
    }
    return viewers;
  }
}
