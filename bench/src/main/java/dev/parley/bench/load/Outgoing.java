package dev.parley.bench.load;

import dev.parley.bench.net.WsConnection;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.Response;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.SendMessageResponse;
import dev.parley.proto.client.TextContent;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A device's sending side, confined to the device's event loop.
 *
 * <p>Every message carries client_msg_id {@code run:sender:counter}. A send outstanding when the
 * connection drops waits in the outbox and is resent after the reconnect with the same id, as is a
 * send that timed out or was refused as temporarily unavailable ({@code UNAVAILABLE}, {@code
 * TOO_MANY_IN_FLIGHT}; at most three attempts): the server stores it once. Any other error is final
 * (protocol section 9): the message is given up, and must then never be delivered.
 *
 * <p>Causal order: when a message is first sent it remembers the highest seq its sender had been
 * answered in that conversation so far; its own seq must be higher ({@link
 * PhaseStats#causalViolations}).
 */
final class Outgoing {
  private static final int MAX_ATTEMPTS = 3;

  private final Fleet fleet;
  private final Device device;
  private final ArrayDeque<SentMessage> outbox = new ArrayDeque<>();

  /**
   * Peer index → the direct conversation, once an answer named it (before that, send by user id).
   */
  private final Map<Integer, Long> directConversations = new HashMap<>();

  private final Map<Long, Long> maxAckedSeq = new HashMap<>();

  Outgoing(Fleet fleet, Device device) {
    this.fleet = fleet;
    this.device = device;
  }

  /** Sends now when online, else keeps it for the next connection. */
  void send(SentMessage m) {
    WsConnection conn = device.online();
    if (conn == null) outbox.add(m);
    else transmit(m, conn);
  }

  /** Sends everything kept while offline (after a connect). */
  void flush() {
    WsConnection conn;
    while (!outbox.isEmpty() && (conn = device.online()) != null) transmit(outbox.poll(), conn);
  }

  /** Messages waiting for a connection. */
  int waiting() {
    return outbox.size();
  }

  private void transmit(SentMessage m, WsConnection conn) {
    long now = System.nanoTime();
    if (m.attempts == 0) {
      PhaseStats.record(m.phase.sendLag, now - m.intendedNanos);
      m.phase.sent.increment();
      m.seqFloor = maxAckedSeq.getOrDefault(targetKey(m), 0L);
    } else {
      m.phase.retries.increment();
    }
    m.attempts++;
    String runId = fleet.ledger().runId();
    SendMessageRequest.Builder b =
        SendMessageRequest.newBuilder()
            .setClientMsgId(Payload.clientMsgId(runId, device.index(), m.counter))
            .setText(
                TextContent.newBuilder()
                    .setText(
                        Payload.text(
                            runId,
                            device.index(),
                            m.counter,
                            m.intendedNanos,
                            fleet.settings().payloadBytes())));
    if (m.conversationId != 0) {
      b.setConversationId(m.conversationId);
    } else {
      Long c = directConversations.get(m.peer);
      if (c != null) b.setConversationId(c);
      else b.setUserId(fleet.userIdOf(m.peer));
    }
    conn.request(
        Request.newBuilder().setSendMessage(b),
        (r, failure, nanos) -> onSendReply(m, r, failure, nanos));
  }

  private static long targetKey(SentMessage m) {
    return m.conversationId != 0 ? m.conversationId : -1L - m.peer;
  }

  private void onSendReply(
      SentMessage m, @Nullable Response r, @Nullable String failure, long nanos) {
    if (r != null && r.hasSendMessage()) {
      SendMessageResponse s = r.getSendMessage();
      if (m.conversationId == 0) directConversations.put(m.peer, s.getConversationId());
      if (!s.getDuplicate() && s.getSeq() <= m.seqFloor) m.phase.causalViolations.increment();
      maxAckedSeq.merge(targetKey(m), s.getSeq(), Math::max);
      fleet.ledger().acked(m, nanos, s.getSeq(), s.getDuplicate());
      device.extras().ownAcked(s.getConversationId(), s.getSeq(), m);
      return;
    }
    if (WsConnection.CLOSED.equals(failure)) {
      outbox.add(m); // resent after the reconnect, same client_msg_id
      return;
    }
    String reason =
        failure != null
            ? failure
            : r != null && r.hasError() ? r.getError().getReason().name() : "EMPTY_ANSWER";
    long retryAfterMs =
        r != null && r.getError().getRetryAfterMs() > 0 ? r.getError().getRetryAfterMs() : 200;
    m.phase.error(reason);
    boolean retryable =
        failure != null || reason.equals("UNAVAILABLE") || reason.equals("TOO_MANY_IN_FLIGHT");
    if (retryable && m.attempts < MAX_ATTEMPTS) {
      device.loop().schedule(() -> send(m), retryAfterMs, TimeUnit.MILLISECONDS);
    } else if (failure == null) {
      fleet.ledger().failed(m); // the server said no: it did not store the message
    }
    // A last timeout leaves the message open: the server may have stored it. If nothing comes, it
    // is
    // unanswered at the end of the run.
  }
}
