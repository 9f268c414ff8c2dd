package dev.parley.push.dispatch;

import dev.parley.proto.internal.Delivery;

/**
 * Where the dispatcher sends what no gateway can deliver: the recipients of a delivery who have no
 * online device. The push providers (FCM, APNs, Web Push) implement it in the push milestone and
 * decide what deserves a notification.
 *
 * <p>Called on the dispatcher's thread, once per delivery and batch, in batch order: an
 * implementation must hand the work off quickly (queue it), or it slows every gateway's live
 * events. A delivery may be handed off twice after a dispatcher crash (at-least-once), so
 * notifications must be idempotent per (user, pts) or tolerate a duplicate.
 */
public interface PushHandOff {
  /**
   * @param delivery the delivery restricted to offline recipients: {@code user_ids} holds only
   *     them, {@code user_pts} (when set) their pts at the same positions
   */
  void offline(Delivery delivery);
}
