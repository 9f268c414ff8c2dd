package dev.parley.user;

import dev.parley.common.privacy.PrivacySettings;
import dev.parley.user.account.Profile;
import dev.parley.user.session.Session;

/**
 * What the user service tells the user's connected devices. Managers call these only after the
 * transaction that made the change has committed, so a device never hears of a change that was
 * rolled back. Delivery is best effort: a device that misses an event sees the new state on its
 * next request.
 */
public interface UserEvents {
  /** A session was opened; every other device of the user hears of it. */
  void sessionAdded(Session session);

  /** A session ended; all the user's devices hear of it and the ended one is disconnected. */
  void sessionRevoked(long userId, long sessionId, String reason);

  /** The user's profile changed; the devices other than {@code exceptSessionId} hear of it. */
  void profileUpdated(Profile profile, long exceptSessionId);

  /** The user's privacy settings changed; the devices other than {@code exceptSessionId} hear. */
  void privacyChanged(long userId, PrivacySettings settings, long exceptSessionId);
}
