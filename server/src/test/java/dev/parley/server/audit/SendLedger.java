package dev.parley.server.audit;

import dev.parley.proto.client.SendMessageResponse;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the senders of a test know about each {@code send_message} attempt: written down before the
 * request leaves, and its outcome when the sender learns it. An attempt without an answer (timeout,
 * dropped socket, a process killed, or an answer that only says "try again") may or may not be
 * stored; only a resend with the same {@code client_msg_id} settles which.
 *
 * <p>An attempt also says whether it went through the SDK's outbox, which resends by itself and so
 * may legitimately be answered {@code duplicate = true}.
 *
 * <p>Thread-safe; one ledger per scenario.
 */
public final class SendLedger {
  /** One logical send, identified by its client_msg_id (unique in a test, across conversations). */
  public record Attempt(
      String clientMsgId, long conversationId, long senderId, String text, boolean sdk) {}

  /** What the sender learned. */
  public sealed interface Outcome {
    /** The server answered: the message is durable at this seq. */
    record Acked(long seq, long messageId, boolean duplicate) implements Outcome {}

    /** A definite error: nothing was stored. */
    record Rejected(String error) implements Outcome {}

    /** No (definite) answer: stored or not, nobody knows yet. */
    record NoAnswer(String why) implements Outcome {}
  }

  private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();
  private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
  private final Collection<String> order = new ConcurrentLinkedQueue<>();
  private final AtomicInteger acked = new AtomicInteger();

  /** An attempt sent directly (not through the SDK's outbox), before it is sent. */
  public Attempt begin(String clientMsgId, long conversationId, long senderId, String text) {
    return begin(clientMsgId, conversationId, senderId, text, false);
  }

  public Attempt begin(
      String clientMsgId, long conversationId, long senderId, String text, boolean sdk) {
    Attempt a = new Attempt(clientMsgId, conversationId, senderId, text, sdk);
    if (attempts.putIfAbsent(clientMsgId, a) != null) {
      throw new IllegalArgumentException("client_msg_id used twice in one test: " + clientMsgId);
    }
    order.add(clientMsgId);
    return a;
  }

  public void acked(Attempt a, SendMessageResponse answer) {
    if (answer.getConversationId() != a.conversationId()) {
      throw new AssertionError(a + " was answered for conversation " + answer.getConversationId());
    }
    settle(a, new Outcome.Acked(answer.getSeq(), answer.getMessageId(), answer.getDuplicate()));
    acked.incrementAndGet();
  }

  public void rejected(Attempt a, String error) {
    settle(a, new Outcome.Rejected(error));
  }

  public void noAnswer(Attempt a, String why) {
    settle(a, new Outcome.NoAnswer(why));
  }

  public void noAnswer(Attempt a, Throwable why) {
    noAnswer(a, why.toString());
  }

  public int ackedCount() {
    return acked.get();
  }

  /** Attempts whose outcome is not known yet: the requests on the wire right now. */
  public int pending() {
    return attempts.size() - outcomes.size();
  }

  /** Every attempt, in the order they began. */
  public List<Attempt> all() {
    return order.stream().map(attempts::get).toList();
  }

  public Optional<Attempt> find(String clientMsgId) {
    return Optional.ofNullable(attempts.get(clientMsgId));
  }

  public Outcome outcome(Attempt a) {
    Outcome o = outcomes.get(a.clientMsgId());
    if (o == null) throw new IllegalStateException("no outcome recorded for " + a);
    return o;
  }

  public List<Attempt> with(Class<? extends Outcome> kind) {
    return all().stream().filter(a -> kind.isInstance(outcomes.get(a.clientMsgId()))).toList();
  }

  private void settle(Attempt a, Outcome o) {
    if (outcomes.putIfAbsent(a.clientMsgId(), o) != null) {
      throw new IllegalStateException("two outcomes for " + a);
    }
  }
}
