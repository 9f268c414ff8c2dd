package dev.parley.msg.typing;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.core.Caller;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.Event;
import dev.parley.proto.client.Typing;
import dev.parley.proto.client.TypingState;
import dev.parley.proto.internal.Delivery;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a typing indicator against the conversation's audience and hands it, as one Delivery for
 * all the other members, to the gateways (design.md 13.6). Nothing is stored: no log entry, no feed
 * item, no bus record.
 *
 * <p>The hand-over runs on a thread of its own behind a bounded queue, separate from the message
 * publisher's: a burst of typing can neither delay a committed message's delivery nor block the
 * request thread. When the queue is full, indicators are dropped and counted ({@code
 * parley_msg_typing_dropped_total}); a lost indicator is simply not shown.
 */
public final class TypingRelay implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TypingRelay.class);

  /** How long a recipient shows an indicator that no later one replaces or cancels. */
  public static final Duration SHOWN_FOR = Duration.ofSeconds(6);

  private final TypingAudiences audiences;
  private final Consumer<Delivery> sink;
  private final BlockingQueue<Delivery> queue;
  private final Counter relayed;
  private final Counter dropped;
  private final Thread thread;
  private volatile boolean closing;

  /**
   * @param sink hands a delivery to the gateways holding its recipients (in process on a single
   *     node, straight to the gateways in a cluster); called on the relay's thread only
   */
  public TypingRelay(
      TypingAudiences audiences, Consumer<Delivery> sink, int capacity, MeterRegistry metrics) {
    this.audiences = audiences;
    this.sink = sink;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.relayed =
        Counter.builder("parley_msg_typing_relayed_total")
            .description("Typing indicators handed to the gateways")
            .register(metrics);
    this.dropped =
        Counter.builder("parley_msg_typing_dropped_total")
            .description("Typing indicators dropped because the typing queue was full")
            .register(metrics);
    this.thread = Thread.ofPlatform().name("msg-typing").daemon(true).start(this::run);
  }

  /**
   * Relays the caller's indicator to the conversation's other members.
   *
   * @throws ParleyException NOT_FOUND when the caller is not a current member (or there is no such
   *     conversation: the two are not told apart), BLOCKED in a one-to-one with a block either way
   */
  public void set(Caller caller, long conversationId, TypingState.Action action) {
    TypingAudiences.Audience audience = audiences.of(conversationId);
    if (!audience.has(caller.userId()))
      throw new ParleyException(Reason.NOT_FOUND, "No such conversation");
    if (audience.blocked())
      throw new ParleyException(Reason.BLOCKED, "Messages between these users are blocked");
    Delivery.Builder d =
        Delivery.newBuilder()
            .setEvent(
                Event.newBuilder()
                    .setTyping(
                        Typing.newBuilder()
                            .setConversationId(conversationId)
                            .setUserId(caller.userId())
                            .setAction(action)
                            .setExpiresInMs(
                                action == TypingState.Action.CANCEL
                                    ? 0
                                    : (int) SHOWN_FOR.toMillis())));
    // The typer's own devices get nothing: a user needs no indicator of themselves.
    for (long member : audience.members()) if (member != caller.userId()) d.addUserIds(member);
    if (d.getUserIdsCount() == 0) return;
    if (closing || !queue.offer(d.build())) dropped.increment();
  }

  private void run() {
    while (true) {
      Delivery d;
      try {
        d = queue.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (d == null) {
        if (closing) return;
        continue;
      }
      try {
        sink.accept(d);
        relayed.increment();
      } catch (RuntimeException e) {
        log.debug("Relaying a typing indicator failed (it is simply not shown)", e);
      }
    }
  }

  @Override
  public void close() {
    closing = true;
    queue.clear();
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
