package dev.parley.push.notify;

import dev.parley.proto.client.Update;
import dev.parley.proto.internal.Delivery;
import dev.parley.proto.internal.PushJob;
import dev.parley.push.dispatch.PushHandOff;
import dev.parley.push.queue.PushQueue;
import java.time.Clock;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Turns deliveries into push jobs (design 12.2): one per recipient the event can notify ({@link
 * PushKind}), skipping the recipient's connected sessions (they got the event live) and the session
 * that caused it ({@code except_session_id}). Cheap and non-blocking: it runs on the delivery
 * thread, and the queue never blocks.
 */
public final class PushJobHandOff implements PushHandOff {
  private final PushQueue queue;
  private final Clock clock;

  public PushJobHandOff(PushQueue queue, Clock clock) {
    this.queue = queue;
    this.clock = clock;
  }

  @Override
  public void handOff(Delivery delivery, Map<Long, Set<Long>> connected) {
    // A delivery for one session only is an answer to that device, not news for the user.
    if (!delivery.getEvent().hasUpdate() || delivery.getOnlySessionId() != 0) return;
    Update update = delivery.getEvent().getUpdate();
    boolean withPts = delivery.getUserPtsCount() == delivery.getUserIdsCount();
    long committedAt =
        update.hasMessage() && update.getMessage().getSentAtMs() > 0
            ? update.getMessage().getSentAtMs()
            : clock.millis();
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < delivery.getUserIdsCount(); i++) {
      long user = delivery.getUserIds(i);
      if (!seen.add(user) || PushKind.of(update, user) == null) continue;
      PushJob.Builder job =
          PushJob.newBuilder()
              .setUserId(user)
              .addAllSkipSessionIds(connected.getOrDefault(user, Set.of()))
              .setUpdate(
                  withPts && delivery.getUserPts(i) != 0
                      ? update.toBuilder().setPts(delivery.getUserPts(i)).build()
                      : update)
              .setCommittedAtMs(committedAt);
      job.setOriginSessionId(delivery.getExceptSessionId());
      queue.offer(job.build());
    }
  }
}
