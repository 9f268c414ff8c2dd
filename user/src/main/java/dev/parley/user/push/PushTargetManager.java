package dev.parley.user.push;

import dev.parley.common.error.ParleyException;
import dev.parley.proto.client.Error.Reason;
import dev.parley.user.session.Sessions;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Registers and removes the push target of a session, and answers the push role's lookups.
 *
 * <p>Registration locks the session row (as revocation does, {@code SessionManager}) and requires
 * it to be active: a register racing a logout either commits first, and the logout deletes the
 * target, or finds the session revoked. So no target outlives its session.
 */
public final class PushTargetManager {
  private final Jdbi jdbi;
  private final Sessions sessions;
  private final PushTargets targets;
  private final Clock clock;

  public PushTargetManager(Jdbi jdbi, Sessions sessions, PushTargets targets, Clock clock) {
    this.jdbi = jdbi;
    this.sessions = sessions;
    this.targets = targets;
    this.clock = clock;
  }

  /** Sets the session's target, replacing the one it had. */
  public void register(
      long userId, long sessionId, PushTarget target, boolean notifyWhileConnected) {
    jdbi.useTransaction(
        h -> {
          if (sessions.lockActive(h, sessionId).filter(s -> s.userId() == userId).isEmpty()) {
            throw new ParleyException(Reason.UNAUTHENTICATED, "The session has ended");
          }
          targets.put(h, sessionId, userId, target, notifyWhileConnected, clock.instant());
        });
  }

  /** Removes the session's target; nothing to remove is fine. */
  public void unregister(long sessionId) {
    jdbi.useHandle(h -> targets.deleteForSession(h, sessionId));
  }

  /** Removes the session's target if it still has this address (a provider refused it). */
  public boolean removeRefused(long sessionId, String address) {
    return jdbi.withHandle(h -> targets.deleteIfAddress(h, sessionId, address));
  }

  /** The push service of each of the user's sessions that has a target. */
  public Map<Long, String> servicesOf(long userId) {
    return jdbi.withHandle(h -> targets.servicesOf(h, userId));
  }

  public List<SessionPushTarget> ofUsers(Collection<Long> userIds) {
    if (userIds.isEmpty()) return List.of();
    return jdbi.withHandle(h -> targets.ofUsers(h, userIds));
  }
}
