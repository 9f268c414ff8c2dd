package dev.parley.msg.core;

import dev.parley.common.privacy.PrivacySettings;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * The user service as the message service sees it: asks about accounts it only knows by id, and
 * reports what the user service keeps for those accounts (security events).
 */
public interface UserDirectory {
  /** Whether an account with this id exists. */
  boolean exists(long userId);

  /** The ids among {@code userIds} without an account (one question per id unless overridden). */
  default long[] unknown(long[] userIds) {
    return LongStream.of(userIds).filter(id -> !exists(id)).toArray();
  }

  /**
   * What chat and contact search match of a user (design.md 14.5), as GetProfiles shows it.
   *
   * @param username empty when the user has none
   * @param avatarFileId empty when the user has none
   */
  record Profile(long userId, String displayName, String username, String avatarFileId) {}

  /**
   * The profiles of the given users, ids without an account left out. It hides no one: the caller
   * leaves out whom the searching user may not see (who blocked them).
   */
  Map<Long, Profile> profiles(Collection<Long> userIds);

  /**
   * Reports that {@code userId}'s role in group {@code groupId} became {@code role} ("member",
   * "admin" or "owner") through {@code actorId}, for the user's security events. Called after the
   * change committed; may throw, the caller decides what a failure means.
   */
  void roleChanged(long userId, long groupId, long actorId, String role);

  /**
   * The privacy settings of each given user (design.md 13.2), the defaults for users who changed
   * none. This default answers the defaults for everyone: a directory without settings.
   */
  default Map<Long, PrivacySettings> privacy(Collection<Long> userIds) {
    Map<Long, PrivacySettings> all = new HashMap<>();
    for (long id : userIds) all.put(id, PrivacySettings.DEFAULTS);
    return all;
  }
}
