package dev.parley.client;

import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.ConversationType;
import dev.parley.proto.client.GetHistoryRequest;
import dev.parley.proto.client.GetHistoryResponse;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.ReadMarker;
import dev.parley.proto.client.ReadReceipt;
import dev.parley.proto.client.Update;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies updates of the feed to a {@link SyncStore} and tells the listeners; one update at a time, on
 * the sync engine's thread, in pts order (the engine sees to that).
 *
 * <h2>Entries: the frontier</h2>
 *
 * Per conversation, the summary's {@code last_seq} is the frontier: every entry up to it has been
 * accounted for, either delivered here or covered by the server's summary after a rebuild. An entry
 * above the frontier is <em>delivered</em>: saved, counted, handed to {@code onMessage}, and made the
 * frontier. So {@code onMessage} sees each (conversation, seq) at most once, in increasing seq order. An
 * entry at or below the frontier is a duplicate or older history: kept if the store lacks it, never
 * delivered. An entry more than one above a known frontier reveals a seq gap (the feed left an update
 * out): the entries in between are fetched with {@code get_history} and delivered first.
 *
 * <h2>Unread counts</h2>
 *
 * The server's figure (from the summary or the last read marker that moved the marker forward) kept
 * current the way the server computes it: +1 for a delivered message from someone else above the read
 * marker, -1 when such a message is recalled, 0 when the user's own message arrives (sending a message
 * implies having read everything up to it). This is exact because updates are applied in pts order: after
 * each one the local state is the server's state at that feed position. A recalled entry the store lacks
 * is looked up ({@code get_history}, one entry) to learn whether it was counted.
 *
 * <p>Read markers and receipts only move forward; listeners hear of those that moved something.
 */
final class UpdateApplier {
  private static final Logger log = LoggerFactory.getLogger(UpdateApplier.class);

  /** Blocking {@code get_history}; fails as the request does. */
  interface History {
    GetHistoryResponse fetch(GetHistoryRequest request);
  }

  private final SyncStore store;
  private final SyncListeners listeners;
  private final History history;
  private final int historyPageSize;
  private long self;

  UpdateApplier(SyncStore store, SyncListeners listeners, History history, int historyPageSize) {
    this.store = store;
    this.listeners = listeners;
    this.history = history;
    this.historyPageSize = historyPageSize;
  }

  /** The user this device belongs to: their messages imply reading and do not count as unread. */
  void self(long userId) {
    self = userId;
  }

  /** Takes a summary from {@code get_conversations} as the conversation's new baseline (a rebuild). */
  void baseline(Conversation conversation) {
    store.saveConversation(conversation);
    if (conversation.hasLastMessage()) {
      store.saveMessage(conversation.getLastMessage());
    }
    if (conversation.getType() == ConversationType.CONVERSATION_TYPE_DIRECT && conversation.getPeerReadSeq() > 0) {
      store.saveMemberReadSeq(
          conversation.getConversationId(), conversation.getPeerUserId(), conversation.getPeerReadSeq());
    }
  }

  /**
   * Applies one update. Throws when a fetch it needed failed for want of an answer; whatever it applied
   * before stays (applying the update again is harmless) and the caller must not advance pts.
   */
  void apply(Update update) {
    switch (update.getKindCase()) {
      case MESSAGE -> entry(update.getMessage());
      case READ_MARKER -> readMarker(update.getReadMarker());
      case READ_RECEIPT -> readReceipt(update.getReadReceipt());
      case FRIEND_REQUEST -> listeners.friendRequests.emit(update.getFriendRequest());
      case FRIEND -> listeners.friends.emit(update.getFriend());
      case BLOCK -> listeners.blocks.emit(update.getBlock());
      default -> log.debug("ignoring update {} of a kind this client does not know", update.getPts());
    }
  }

  private void entry(Message entry) {
    long conversationId = entry.getConversationId();
    long frontier = store.lastSeq(conversationId);
    if (entry.getSeq() <= frontier) {
      if (store.message(conversationId, entry.getSeq()).isEmpty()) {
        store.saveMessage(entry);
      }
      if (entry.hasRecall()) { // its effect on the unread count is in the summary already
        store.message(conversationId, entry.getRecall().getTargetSeq())
            .filter(target -> !target.getRecalled())
            .ifPresent(target -> store.saveMessage(recalled(target, entry)));
      }
      return;
    }
    if (frontier > 0 && entry.getSeq() > frontier + 1) {
      fillGap(conversationId, frontier, entry.getSeq());
    }
    deliver(entry);
  }

  /** Delivers the entries strictly between {@code frontier} and {@code seq} that the server still has. */
  private void fillGap(long conversationId, long frontier, long seq) {
    log.debug("conversation {}: seq gap between {} and {}, fetching history", conversationId, frontier, seq);
    long after = frontier;
    while (after < seq - 1) {
      GetHistoryResponse page;
      try {
        page = history.fetch(GetHistoryRequest.newBuilder()
            .setConversationId(conversationId)
            .setAfterSeq(after)
            .setLimit((int) Math.min(historyPageSize, seq - 1 - after))
            .build());
      } catch (ClientException e) { // not readable (any more): nothing to fill with
        log.debug("conversation {}: cannot fill the seq gap: {}", conversationId, e.getMessage());
        return;
      }
      long before = after;
      for (Message entry : page.getMessagesList()) {
        if (entry.getSeq() >= seq) {
          return;
        }
        if (entry.getSeq() > after) {
          deliver(entry);
          after = entry.getSeq();
        }
      }
      if (!page.getMore() || after == before) {
        return;
      }
    }
  }

  private void deliver(Message entry) {
    long conversationId = entry.getConversationId();
    Conversation current = store.conversation(conversationId)
        .orElseGet(() -> Conversation.newBuilder().setConversationId(conversationId).build());
    Conversation.Builder next = current.toBuilder()
        .setLastSeq(entry.getSeq())
        .setLastMessage(entry)
        .setLastActivityMs(Math.max(current.getLastActivityMs(), entry.getSentAtMs()));
    long readSeq = current.getReadSeq();
    int unread = current.getUnreadCount();
    if (isUserMessage(entry)) {
      store.saveMemberReadSeq(conversationId, entry.getSenderId(), entry.getSeq());
      if (entry.getSenderId() == self) {
        next.setReadSeq(Math.max(readSeq, entry.getSeq()));
        unread = 0; // everything before it is read, and nothing after it has been applied yet
      } else {
        if (!entry.getRecalled() && entry.getSeq() > readSeq) {
          unread++;
        }
        if (current.getType() == ConversationType.CONVERSATION_TYPE_DIRECT) {
          next.setPeerReadSeq(Math.max(current.getPeerReadSeq(), entry.getSeq()));
        }
      }
    } else if (entry.hasRecall() && recallTarget(entry, readSeq)) {
      unread = Math.max(0, unread - 1);
    }
    store.saveMessage(entry);
    store.saveConversation(next.setUnreadCount(unread).build());
    listeners.messages.emit(entry);
    if (entry.hasRecall()) {
      listeners.recalls.emit(entry);
    }
  }

  /** Marks the target of a recall entry recalled; returns whether it was counted as unread. */
  private boolean recallTarget(Message recall, long readSeq) {
    long conversationId = recall.getConversationId();
    long targetSeq = recall.getRecall().getTargetSeq();
    Message target = store.message(conversationId, targetSeq).orElse(null);
    boolean fetched = false;
    if (target == null && targetSeq > readSeq) {
      target = fetchEntry(conversationId, targetSeq);
      fetched = true;
    }
    if (target == null) {
      return false;
    }
    // The recall entry is new, so the target was not recalled when it was counted. A fetched copy may
    // come back recalled already, without content; only messages can be recalled.
    boolean wasMessage = isUserMessage(target) || (fetched && target.getRecalled());
    boolean counted = wasMessage && targetSeq > readSeq && target.getSenderId() != self
        && (fetched || !target.getRecalled());
    if (fetched || !target.getRecalled()) {
      store.saveMessage(recalled(target, recall));
    }
    return counted;
  }

  private Message fetchEntry(long conversationId, long seq) {
    try {
      GetHistoryResponse page = history.fetch(GetHistoryRequest.newBuilder()
          .setConversationId(conversationId).setBeforeSeq(seq + 1).setLimit(1).build());
      return page.getMessagesList().stream().filter(m -> m.getSeq() == seq).findFirst().orElse(null);
    } catch (ClientException e) {
      log.debug("conversation {}: cannot look up entry {}: {}", conversationId, seq, e.getMessage());
      return null;
    }
  }

  private void readMarker(ReadMarker marker) {
    long conversationId = marker.getConversationId();
    Conversation current = store.conversation(conversationId)
        .orElseGet(() -> Conversation.newBuilder().setConversationId(conversationId).build());
    if (marker.getReadSeq() <= current.getReadSeq()) {
      return; // stale (the user's own later message moved it already), or known from the summary
    }
    store.saveMemberReadSeq(conversationId, self, marker.getReadSeq());
    store.saveConversation(current.toBuilder()
        .setReadSeq(marker.getReadSeq())
        .setUnreadCount(marker.getUnreadCount())
        .build());
    listeners.readMarkers.emit(marker);
  }

  private void readReceipt(ReadReceipt receipt) {
    long conversationId = receipt.getConversationId();
    if (receipt.getReadSeq() <= store.memberReadSeq(conversationId, receipt.getUserId())) {
      return;
    }
    store.saveMemberReadSeq(conversationId, receipt.getUserId(), receipt.getReadSeq());
    store.conversation(conversationId)
        .filter(c -> c.getType() == ConversationType.CONVERSATION_TYPE_DIRECT && c.getPeerReadSeq() < receipt.getReadSeq())
        .ifPresent(c -> store.saveConversation(c.toBuilder().setPeerReadSeq(receipt.getReadSeq()).build()));
    listeners.readReceipts.emit(receipt);
  }

  private static Message recalled(Message target, Message recall) {
    return target.toBuilder().clearContent().setRecalled(true).setRecalledAtMs(recall.getSentAtMs()).build();
  }

  /** Text, image or file: what counts as unread and implies that its sender has read up to it. */
  static boolean isUserMessage(Message entry) {
    return switch (entry.getContentCase()) {
      case TEXT, IMAGE, FILE -> true;
      default -> false;
    };
  }
}
