package dev.parley.gateway.ws;

import dev.parley.proto.client.TypingState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The per-connection limits on {@code set_typing} (docs/protocol.md section 20). Clients send an
 * indicator on every keystroke or every few seconds; peers need at most one per conversation per
 * {@link #REPEAT_INTERVAL}, so the rest are answered with success and forwarded to nobody
 * (SUPPRESS: nothing is lost, the peers still show the indicator). A change of action (TYPING to
 * CANCEL, say) goes through at once, so an indicator never lingers after the user stopped.
 *
 * <p>Hard limits per {@link #WINDOW} (a fixed window), answered RATE_LIMITED: at most {@link
 * #MAX_CONVERSATIONS} distinct conversations, so one connection cannot spray indicators over many
 * conversations, and at most {@link #MAX_FORWARDS} forwarded indicators, so alternating actions
 * cannot bypass the repeat rule.
 *
 * <p>Confined to the connection's event loop, like the rest of the connection's state.
 */
final class TypingLimiter {
  static final Duration REPEAT_INTERVAL = Duration.ofSeconds(2);
  static final Duration WINDOW = Duration.ofSeconds(10);
  static final int MAX_CONVERSATIONS = 10;
  static final int MAX_FORWARDS = 30;

  enum Decision {
    FORWARD,
    SUPPRESS,
    REFUSE
  }

  private record Last(TypingState.Action action, Instant at) {}

  private final Clock clock;
  private final Map<Long, Last> last = new HashMap<>();
  private final Set<Long> conversationsInWindow = new HashSet<>();
  private Instant windowStart = Instant.MIN;
  private int forwardsInWindow;

  TypingLimiter(Clock clock) {
    this.clock = clock;
  }

  Decision decide(long conversationId, TypingState.Action action) {
    Instant now = clock.instant();
    if (!now.isBefore(windowEnd())) {
      windowStart = now;
      forwardsInWindow = 0;
      conversationsInWindow.clear();
      // Older than a window: the indicator has expired at the peers (6 s) and the entry can go.
      last.values().removeIf(l -> l.at().isBefore(now.minus(WINDOW)));
    }
    Last previous = last.get(conversationId);
    boolean nothingShown = previous == null || previous.action() == TypingState.Action.CANCEL;
    if (action == TypingState.Action.CANCEL && nothingShown) return Decision.SUPPRESS;
    if (previous != null
        && previous.action() == action
        && now.isBefore(previous.at().plus(REPEAT_INTERVAL))) return Decision.SUPPRESS;
    boolean newConversation = !conversationsInWindow.contains(conversationId);
    if ((newConversation && conversationsInWindow.size() >= MAX_CONVERSATIONS)
        || forwardsInWindow >= MAX_FORWARDS) return Decision.REFUSE;
    forwardsInWindow++;
    conversationsInWindow.add(conversationId);
    last.put(conversationId, new Last(action, now));
    return Decision.FORWARD;
  }

  /**
   * The service refused the forwarded indicator (not a member, blocked, invalid): forget it, so a
   * repeat is refused again rather than answered with success.
   */
  void refused(long conversationId) {
    last.remove(conversationId);
  }

  /** When a refused request may succeed: the end of the current window. */
  Duration retryAfter() {
    return Duration.between(clock.instant(), windowEnd());
  }

  private Instant windowEnd() {
    return windowStart == Instant.MIN ? Instant.MIN : windowStart.plus(WINDOW);
  }
}
