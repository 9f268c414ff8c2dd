package dev.parley.bench.load;

import dev.parley.bench.net.WsConnection;
import dev.parley.proto.client.EditMessageRequest;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.Response;
import dev.parley.proto.client.SetReactionsRequest;
import dev.parley.proto.client.SetTypingRequest;
import dev.parley.proto.client.TypingState;
import org.jspecify.annotations.Nullable;

/**
 * The operations a soak mixes in beside messages (issue 12: edits, reactions, typing), for one
 * device. Typing goes to the conversation of the device's last acknowledged message. An edit
 * rewrites the device's last acknowledged message with the same bench text (so a device that syncs
 * the edited message later still reads a valid payload); a reaction goes to the last message this
 * device received from someone else. Both append log entries that every member gets live and on
 * sync, and that the receipts ignore (they are not texts). Event loop only.
 */
final class Extras {
  private record Target(long conversationId, long seq) {}

  private record Own(long conversationId, long seq, int counter, long intendedNanos) {}

  private final Fleet fleet;
  private final Device device;
  private @Nullable Own lastOwn;
  private @Nullable Target lastReceived;

  Extras(Fleet fleet, Device device) {
    this.fleet = fleet;
    this.device = device;
  }

  void ownAcked(long conversationId, long seq, SentMessage m) {
    lastOwn = new Own(conversationId, seq, m.counter, m.intendedNanos);
  }

  void received(Message m) {
    if (m.hasText() && m.getSenderId() != device.account().userId()) {
      lastReceived = new Target(m.getConversationId(), m.getSeq());
    }
  }

  void edit() {
    Own own = lastOwn;
    WsConnection conn = device.online();
    if (own == null || conn == null) {
      fleet.extras().skipped.increment();
      return;
    }
    String text =
        Payload.text(
            fleet.ledger().runId(),
            device.index(),
            own.counter(),
            own.intendedNanos(),
            fleet.settings().payloadBytes());
    fleet.extras().edits.increment();
    conn.request(
        Request.newBuilder()
            .setEditMessage(
                EditMessageRequest.newBuilder()
                    .setConversationId(own.conversationId())
                    .setSeq(own.seq())
                    .setText(text)),
        (r, failure, nanos) -> outcome("edit_message", r, failure));
  }

  /** "Typing" in the conversation of this device's last acknowledged message. */
  void typing() {
    Own own = lastOwn;
    WsConnection conn = device.online();
    if (own == null || conn == null) {
      fleet.extras().skipped.increment();
      return;
    }
    fleet.extras().typing.increment();
    conn.request(
        Request.newBuilder()
            .setSetTyping(
                SetTypingRequest.newBuilder()
                    .setConversationId(own.conversationId())
                    .setAction(TypingState.Action.TYPING)),
        (r, failure, nanos) -> outcome("set_typing", r, failure));
  }

  void react() {
    Target target = lastReceived;
    WsConnection conn = device.online();
    if (target == null || conn == null) {
      fleet.extras().skipped.increment();
      return;
    }
    fleet.extras().reactions.increment();
    conn.request(
        Request.newBuilder()
            .setSetReactions(
                SetReactionsRequest.newBuilder()
                    .setConversationId(target.conversationId())
                    .setSeq(target.seq())
                    .addEmoji("👍")),
        (r, failure, nanos) -> outcome("set_reactions", r, failure));
  }

  private void outcome(String op, @Nullable Response r, @Nullable String failure) {
    if (failure != null) {
      fleet.extras().error(op, failure);
    } else if (r != null && r.hasError()) {
      fleet.extras().error(op, r.getError().getReason().name());
    }
  }
}
