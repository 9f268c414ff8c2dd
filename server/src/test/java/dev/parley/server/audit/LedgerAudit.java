package dev.parley.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.Futures;
import dev.parley.client.Operations;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.SendMessageResponse;
import dev.parley.proto.client.TextContent;
import dev.parley.server.audit.SendLedger.Attempt;
import dev.parley.server.audit.SendLedger.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToIntFunction;
import java.util.stream.IntStream;

/**
 * Holds the server's conversation logs against a {@link SendLedger}: what a crash may leave behind
 * (an unanswered send stored or not, never an acknowledged one missing or moved), and how resending
 * with the same client_msg_id settles it. Problems are collected per check, so a failure lists all
 * of them.
 *
 * <p>A send that went through the SDK's outbox may be acknowledged with {@code duplicate = true}
 * (an earlier attempt of it was stored, its answer lost); any connection type can read and resend.
 * Shared by the single-node crash tests (e2e) and the cluster kill tests.
 */
public final class LedgerAudit {
  private LedgerAudit() {}

  /** Every conversation's log, and its user entries by client_msg_id. */
  public record Logs(
      Map<Long, List<Message>> logs, Map<Long, Map<String, Message>> byClientMsgId) {}

  /**
   * Reads each conversation's whole log through a member's connection and checks it: gap-free, each
   * client_msg_id at most once, and every user entry an attempt of the ledger, with its text and
   * sender.
   */
  public static Logs readLogs(Map<Long, ? extends Operations> reader, SendLedger ledger) {
    Map<Long, List<Message>> logs = new HashMap<>();
    Map<Long, Map<String, Message>> byId = new HashMap<>();
    for (Map.Entry<Long, ? extends Operations> r : reader.entrySet()) {
      long conv = r.getKey();
      List<Message> log = ConversationLogs.read(r.getValue(), conv);
      Map<String, Message> entries = ConversationLogs.checkInvariants(conv, log);
      for (Message m : log) {
        if (m.getClientMsgId().isEmpty()) {
          assertThat(m.hasService()).as("entry without client_msg_id: %s", m).isTrue();
          continue;
        }
        Optional<Attempt> sent = ledger.find(m.getClientMsgId());
        assertThat(sent).as("an entry nobody sent: %s", m).isPresent();
        assertThat(ConversationLogs.key(m))
            .isEqualTo(
                ConversationLogs.key(
                    Message.newBuilder()
                        .setConversationId(sent.get().conversationId())
                        .setSeq(m.getSeq())
                        .setMessageId(m.getMessageId())
                        .setSenderId(sent.get().senderId())
                        .setClientMsgId(sent.get().clientMsgId())
                        .setText(TextContent.newBuilder().setText(sent.get().text()))
                        .build()));
      }
      logs.put(conv, log);
      byId.put(conv, entries);
    }
    return new Logs(logs, byId);
  }

  /**
   * Every acknowledged send is in its log once, at the seq and with the message id its answer
   * named.
   */
  public static void assertAcknowledgedKept(
      SendLedger ledger, Map<Long, Map<String, Message>> stored) {
    List<String> problems = new ArrayList<>();
    for (Attempt k : ledger.with(Outcome.Acked.class)) {
      Outcome.Acked ack = (Outcome.Acked) ledger.outcome(k);
      Message m = stored.get(k.conversationId()).get(k.clientMsgId());
      if (m == null) {
        problems.add("LOST acknowledged " + k + " acked as seq " + ack.seq());
      } else if (m.getSeq() != ack.seq()
          || m.getMessageId() != ack.messageId()
          || (ack.duplicate() && !k.sdk())) {
        problems.add(
            "acknowledged " + k + " as " + ack + " but stored as " + ConversationLogs.key(m));
      }
    }
    assertThat(problems).as("acknowledged sends").isEmpty();
  }

  /**
   * Resends each attempt with its client_msg_id. Every acknowledged one must come back as the
   * original with duplicate = true. An unanswered one is resent twice at the same time (the two
   * race for the conversation lock, design.md 8.4): both answers name the same entry; if the crash
   * left it stored, that is the original and both say duplicate; if not, exactly one of the two
   * stores it now. Returns an answer by client_msg_id.
   */
  public static Map<String, SendMessageResponse> resendEach(
      List<Attempt> attempts,
      SendLedger ledger,
      Map<Long, Map<String, Message>> stored,
      Map<Long, ? extends Operations> bySender) {
    Map<String, List<SendMessageResponse>> answers =
        resend(attempts, bySender, x -> ledger.outcome(x) instanceof Outcome.NoAnswer ? 2 : 1);
    List<String> problems = new ArrayList<>();
    for (Attempt x : attempts) {
      List<SendMessageResponse> all = answers.get(x.clientMsgId());
      SendMessageResponse r = all.get(0);
      long fresh = all.stream().filter(answer -> !answer.getDuplicate()).count();
      Message earlier = stored.get(x.conversationId()).get(x.clientMsgId());
      if (all.stream()
          .anyMatch(
              other -> other.getSeq() != r.getSeq() || other.getMessageId() != r.getMessageId())) {
        problems.add("concurrent resends of " + x.clientMsgId() + " disagree: " + all);
      } else if (earlier == null) {
        if (fresh != 1)
          problems.add(
              "resent unstored " + x.clientMsgId() + ", " + fresh + " answers were new: " + all);
      } else if (fresh != 0
          || r.getSeq() != earlier.getSeq()
          || r.getMessageId() != earlier.getMessageId()) {
        problems.add(
            "resent "
                + x.clientMsgId()
                + " ("
                + ledger.outcome(x)
                + ") answered "
                + all
                + " but the original is "
                + ConversationLogs.key(earlier));
      }
    }
    assertThat(problems).as("answers to resends").isEmpty();
    Map<String, SendMessageResponse> one = new HashMap<>();
    answers.forEach((id, all) -> one.put(id, all.get(0)));
    return one;
  }

  /** Each attempt is in its log exactly once, where its last answer said; nothing else is. */
  public static void assertEachSendOnceAsAnswered(
      SendLedger ledger, Map<String, SendMessageResponse> answers, Logs truth) {
    List<String> problems = new ArrayList<>();
    for (Attempt x : ledger.all()) {
      Message m = truth.byClientMsgId().get(x.conversationId()).get(x.clientMsgId());
      SendMessageResponse r = answers.get(x.clientMsgId());
      if (m == null || m.getSeq() != r.getSeq() || m.getMessageId() != r.getMessageId()) {
        problems.add(
            x
                + " answered "
                + r
                + " but stored as "
                + (m == null ? "nothing" : ConversationLogs.key(m)));
      }
    }
    assertThat(problems).as("sends after settling").isEmpty();
    long userEntries = truth.byClientMsgId().values().stream().mapToLong(Map::size).sum();
    assertThat(userEntries).as("user entries in all logs").isEqualTo(ledger.all().size());
  }

  /**
   * Sends each attempt {@code copies} times at once from its sender's connection, 16 attempts at a
   * time (at most 32 requests in flight, within the gateway's limit of 64 per connection).
   */
  private static Map<String, List<SendMessageResponse>> resend(
      List<Attempt> attempts,
      Map<Long, ? extends Operations> bySender,
      ToIntFunction<Attempt> copies) {
    Map<String, List<SendMessageResponse>> answers = new HashMap<>();
    for (int from = 0; from < attempts.size(); from += 16) {
      List<Attempt> batch = attempts.subList(from, Math.min(attempts.size(), from + 16));
      List<List<CompletableFuture<SendMessageResponse>>> futures = new ArrayList<>();
      for (Attempt x : batch) {
        Operations c = bySender.get(x.senderId());
        SendMessageRequest request = request(x.conversationId(), x.clientMsgId(), x.text());
        futures.add(
            IntStream.range(0, copies.applyAsInt(x))
                .mapToObj(i -> c.sendMessage(request))
                .toList());
      }
      for (int i = 0; i < batch.size(); i++) {
        answers.put(
            batch.get(i).clientMsgId(), futures.get(i).stream().map(Futures::await).toList());
      }
    }
    return answers;
  }

  private static SendMessageRequest request(long conversationId, String clientMsgId, String text) {
    return SendMessageRequest.newBuilder()
        .setConversationId(conversationId)
        .setClientMsgId(clientMsgId)
        .setText(TextContent.newBuilder().setText(text))
        .build();
  }
}
