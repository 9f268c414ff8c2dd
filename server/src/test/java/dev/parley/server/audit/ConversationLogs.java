package dev.parley.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.Futures;
import dev.parley.client.Operations;
import dev.parley.proto.client.GetHistoryRequest;
import dev.parley.proto.client.GetHistoryResponse;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.ServiceContent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * A conversation's log as the server has it, and the invariants every log must keep (design.md 8.2,
 * 8.4). Shared by the e2e and cluster tests.
 */
public final class ConversationLogs {
  private ConversationLogs() {}

  /** The whole visible log, oldest first, read with get_history page by page (200 a page). */
  public static List<Message> read(Operations ops, long conversationId) {
    List<Message> all = new ArrayList<>();
    long after = 0;
    while (true) {
      GetHistoryResponse page =
          Futures.await(
              ops.getHistory(
                  GetHistoryRequest.newBuilder()
                      .setConversationId(conversationId)
                      .setForward(true)
                      .setAfterSeq(after)
                      .setLimit(200)
                      .build()));
      all.addAll(page.getMessagesList());
      if (!page.getMore()) return all;
      assertThat(page.getMessagesCount()).as("a page with more=true has entries").isPositive();
      after = page.getMessages(page.getMessagesCount() - 1).getSeq();
    }
  }

  /**
   * Seqs are exactly 1..N in order, message ids are unique, and no (sender, client_msg_id) appears
   * twice. Returns the entries by client_msg_id (entries written by users only).
   */
  public static Map<String, Message> checkInvariants(long conversationId, List<Message> log) {
    assertThat(log)
        .as("seqs of conversation %d", conversationId)
        .extracting(Message::getSeq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, log.size()).boxed().toList());
    assertThat(log)
        .as("message ids of conversation %d", conversationId)
        .extracting(Message::getMessageId)
        .doesNotHaveDuplicates();
    Map<String, Message> byClientMsgId = new HashMap<>();
    for (Message m : log) {
      if (m.getClientMsgId().isEmpty()) continue;
      Message earlier = byClientMsgId.putIfAbsent(m.getClientMsgId(), m);
      assertThat(earlier)
          .as(
              "client_msg_id %s twice in conversation %d: seq %s and %d",
              m.getClientMsgId(),
              conversationId,
              earlier == null ? "-" : earlier.getSeq(),
              m.getSeq())
          .isNull();
    }
    checkEditsAndQuotes(conversationId, log);
    checkReactions(conversationId, log);
    checkPins(conversationId, log);
    return byClientMsgId;
  }

  /**
   * Pins (design.md 13.5): a pin entry targets an earlier message (text, image, file); per message
   * the entries alternate pin, unpin, pin... starting with a pin (a no-op writes nothing), and none
   * follows the message's recall (the recall unpinned it). Targets before the reader's window are
   * not checked.
   */
  private static void checkPins(long conversationId, List<Message> log) {
    Map<Long, Message> bySeq = new HashMap<>();
    Map<Long, Boolean> pinnedNow = new HashMap<>();
    java.util.Set<Long> recalled = new java.util.HashSet<>();
    for (Message m : log) {
      bySeq.put(m.getSeq(), m);
      if (m.hasRecall()) {
        pinnedNow.remove(m.getRecall().getTargetSeq());
        recalled.add(m.getRecall().getTargetSeq());
      }
      if (!m.hasPin()) continue;
      long target = m.getPin().getTargetSeq();
      String what = "pin " + conversationId + ":" + m.getSeq() + " of " + target;
      assertThat(target).as(what).isLessThan(m.getSeq());
      Message original = bySeq.get(target);
      if (original == null) continue; // before this reader's window
      assertThat(
              original.getContentCase() == Message.ContentCase.TEXT
                  || original.getContentCase() == Message.ContentCase.IMAGE
                  || original.getContentCase() == Message.ContentCase.FILE
                  || original.getRecalled())
          .as(what + " targets a message")
          .isTrue();
      assertThat(recalled).as(what + " follows no recall of its target").doesNotContain(target);
      boolean was = pinnedNow.getOrDefault(target, false);
      assertThat(m.getPin().getPinned()).as(what + " changes the pin state").isNotEqualTo(was);
      pinnedNow.put(target, m.getPin().getPinned());
    }
  }

  /**
   * Reactions (design.md 13.4): a reaction entry targets an earlier message; a recalled message has
   * no reactions; a message's counts (computed from the stored reactions) are those of its newest
   * reaction entry, unless a membership ended after that entry (departures delete reactions) or the
   * reader's window ends before the newest one.
   */
  private static void checkReactions(long conversationId, List<Message> log) {
    Map<Long, Message> bySeq = new HashMap<>();
    Map<Long, Message> newest = new HashMap<>();
    long lastDeparture = 0;
    for (Message m : log) {
      bySeq.put(m.getSeq(), m);
      if (m.hasService()) {
        var action = m.getService().getAction();
        if (action == ServiceContent.Action.MEMBER_REMOVED
            || action == ServiceContent.Action.MEMBER_LEFT
            || action == ServiceContent.Action.GROUP_DISBANDED) lastDeparture = m.getSeq();
      }
      if (!m.hasReaction()) continue;
      long target = m.getReaction().getTargetSeq();
      String what = "reaction " + conversationId + ":" + m.getSeq() + " on " + target;
      assertThat(target).as(what).isLessThan(m.getSeq());
      newest.put(target, m);
    }
    for (Message m : log) {
      if (m.getRecalled())
        assertThat(m.getReactionsList())
            .as("reactions on recalled %d:%d", conversationId, m.getSeq())
            .isEmpty();
    }
    long departure = lastDeparture;
    newest.forEach(
        (target, reaction) -> {
          Message original = bySeq.get(target);
          if (original == null || original.getRecalled() || reaction.getSeq() < departure) return;
          assertThat(original.getReactionsList())
              .as("counts of %d:%d", conversationId, target)
              .extracting(c -> c.getEmoji() + "=" + c.getCount())
              .containsExactlyInAnyOrderElementsOf(
                  reaction.getReaction().getReactionsList().stream()
                      .map(c -> c.getEmoji() + "=" + c.getCount())
                      .toList());
        });
  }

  /**
   * Edits and quotes (design.md 13): an edit targets an earlier message of its own sender; only the
   * newest edit of a message keeps its text, which is the message's text, and none does once the
   * message is recalled; a reply's quote is the current start of its original's text, or "deleted"
   * once the original is recalled.
   */
  private static void checkEditsAndQuotes(long conversationId, List<Message> log) {
    Map<Long, Message> bySeq = new HashMap<>();
    for (Message m : log) bySeq.put(m.getSeq(), m);
    Map<Long, Message> newestEdit = new HashMap<>();
    for (Message m : log) {
      if (m.getContentCase() != Message.ContentCase.EDIT) continue;
      long target = m.getEdit().getTargetSeq();
      String what = "edit " + conversationId + ":" + m.getSeq() + " of " + target;
      assertThat(target).as(what).isLessThan(m.getSeq());
      Message original = bySeq.get(target);
      if (original == null) continue; // not visible to the reader, or deleted by retention
      assertThat(original.getSenderId()).as(what + ": by the sender").isEqualTo(m.getSenderId());
      Message earlier = newestEdit.put(target, m);
      if (earlier != null)
        assertThat(earlier.getEdit().getText()).as("superseded " + what).isEmpty();
      if (original.getRecalled())
        assertThat(m.getEdit().getText()).as(what + " of a recalled message").isEmpty();
    }
    newestEdit.forEach(
        (target, edit) -> {
          Message original = bySeq.get(target);
          if (original == null || original.getRecalled()) return;
          String what = "message " + conversationId + ":" + target;
          assertThat(original.getEditedAtMs()).as(what + " edited").isPositive();
          assertThat(textOf(original))
              .as(what + " reads its newest edit")
              .isEqualTo(edit.getEdit().getText());
        });
    for (Message m : log) {
      if (!m.hasReplyTo() || m.getRecalled()) continue;
      Message original = bySeq.get(m.getReplyTo().getSeq());
      if (original == null) continue;
      String what = "quote in " + conversationId + ":" + m.getSeq();
      if (original.getRecalled()) {
        assertThat(m.getReplyTo().getDeleted()).as(what + " of a recalled message").isTrue();
        assertThat(m.getReplyTo().getSnippet()).as(what).isEmpty();
      } else {
        assertThat(textOf(original)).as(what).startsWith(m.getReplyTo().getSnippet());
      }
    }
  }

  private static String textOf(Message m) {
    return switch (m.getContentCase()) {
      case TEXT -> m.getText().getText();
      case IMAGE -> m.getImage().getCaption();
      case FILE -> m.getFile().getCaption();
      default -> "";
    };
  }

  /** What must agree between a device's copy of an entry and the server's. */
  public static String key(Message m) {
    return m.getConversationId()
        + ":"
        + m.getSeq()
        + " id="
        + m.getMessageId()
        + " from="
        + m.getSenderId()
        + " cmid="
        + m.getClientMsgId()
        + " "
        + m.getContentCase()
        + (m.hasText() ? " '" + m.getText().getText() + "'" : "");
  }

  public static List<String> keys(List<Message> log) {
    return log.stream().map(ConversationLogs::key).toList();
  }
}
