package dev.parley.push.dispatch;

import dev.parley.proto.internal.Delivery;
import java.util.Map;
import java.util.Set;

/**
 * Where deliveries go to become push notifications (design 12.2): every delivery that carries an
 * event, with the sessions of its recipients that are connected, since a connected session hears of
 * the event live and a user reading on a laptop still gets the phone notified. The dispatcher calls
 * it in a cluster, with the connections from presence; the single node with those of its gateway's
 * connection registry. The implementation decides what deserves a notification.
 *
 * <p>Called on the delivery thread (the dispatcher's, or the publishing thread of the single node's
 * bus), once per delivery, in order: an implementation must hand the work off at once (queue it),
 * or it slows every live event. A delivery may be handed off twice after a dispatcher crash
 * (at-least-once), so notifications must tolerate a duplicate (collapse keys do).
 */
@FunctionalInterface
public interface PushHandOff {
  /** A hand-off that drops everything: a node that sends no pushes. */
  PushHandOff NONE = (delivery, connected) -> {};

  /**
   * @param delivery a delivery with an event, to all its recipients ({@code user_pts}, when set, at
   *     the same positions as {@code user_ids})
   * @param connected for each recipient with at least one connected session: those sessions;
   *     recipients without one are absent
   */
  void handOff(Delivery delivery, Map<Long, Set<Long>> connected);
}
