package dev.parley.push.notify;

import dev.parley.proto.internal.NotifyFacts;
import dev.parley.proto.internal.SessionPushTarget;
import java.util.List;

/**
 * What a push worker asks the services when it sends (design 12.2): the user service's targets and
 * names, the message service's notification facts. Read at send time, so a mute set a second ago
 * and a session revoked a second ago count.
 */
public interface PushLookups {
  /** The push targets of the user's active sessions. */
  List<SessionPushTarget> targets(long userId);

  /** The user's mute, previews and badge for the conversation (0: outside one, user facts only). */
  NotifyFacts facts(long userId, long conversationId);

  /** The display name of user {@code userId} (a sender); empty when unknown. */
  String displayName(long userId);

  /** Removes the session's target if it still has this address; true if it did. */
  boolean removeTarget(long sessionId, String address);
}
