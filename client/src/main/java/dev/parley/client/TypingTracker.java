package dev.parley.client;

import dev.parley.proto.client.Typing;
import dev.parley.proto.client.TypingState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Turns the server's {@code typing} events into indicators that end by themselves: each one lasts
 * its expires_in_ms unless a later event of the same member and conversation renews or cancels it;
 * when it runs out, a stopped indicator (CANCEL) is reported, so an app never shows a member typing
 * who went silent (a lost CANCEL, a dropped connection).
 */
final class TypingTracker {
  private record Key(long conversationId, long userId) {}

  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final Consumer<TypingIndicator> emit;
  private final Map<Key, TypingIndicator> active = new ConcurrentHashMap<>();

  TypingTracker(Clock clock, ScheduledExecutorService timer, Consumer<TypingIndicator> emit) {
    this.clock = clock;
    this.timer = timer;
    this.emit = emit;
  }

  void event(Typing t) {
    Key key = new Key(t.getConversationId(), t.getUserId());
    Instant now = clock.instant();
    if (t.getAction() == TypingState.Action.CANCEL || t.getExpiresInMs() == 0) {
      if (active.remove(key) != null) emit.accept(stopped(key, now));
      return;
    }
    TypingIndicator shown =
        new TypingIndicator(
            key.conversationId(), key.userId(), t.getAction(), now.plusMillis(t.getExpiresInMs()));
    active.put(key, shown);
    emit.accept(shown);
    timer.schedule(() -> expire(key, shown), t.getExpiresInMs(), TimeUnit.MILLISECONDS);
  }

  /** Ends the indicator if nothing renewed it since (a renewal replaced it in the map). */
  private void expire(Key key, TypingIndicator shown) {
    if (active.remove(key, shown)) emit.accept(stopped(key, clock.instant()));
  }

  /** The indicators showing in a conversation now, oldest member first. */
  List<TypingIndicator> showing(long conversationId) {
    Instant now = clock.instant();
    List<TypingIndicator> out = new ArrayList<>();
    for (TypingIndicator i : active.values())
      if (i.conversationId() == conversationId && i.expiresAt().isAfter(now)) out.add(i);
    out.sort(Comparator.comparingLong(TypingIndicator::userId));
    return out;
  }

  /** The connection dropped: what it showed can no longer be renewed or cancelled. */
  void clear() {
    Instant now = clock.instant();
    for (Key k : List.copyOf(active.keySet()))
      if (active.remove(k) != null) emit.accept(stopped(k, now));
  }

  private static TypingIndicator stopped(Key k, Instant at) {
    return new TypingIndicator(k.conversationId(), k.userId(), TypingState.Action.CANCEL, at);
  }
}
