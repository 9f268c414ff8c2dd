package dev.parley.client;

import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.ReadMarker;
import java.util.Optional;

/**
 * Keeps each conversation's {@code read_seq} and {@code unread_count} equal to the server's
 * (design.md 8.6: messages after the read marker, not sent by the reader, not recalled; service
 * entries do not count) although the device learns them from two streams in two orders: read
 * markers from the feed, group entries from the group logs.
 *
 * <h2>The base of a count</h2>
 *
 * A count is the server's figure taken at some seq, its <em>base</em> ({@link
 * SyncStore#unreadCountedTo}): a read marker's {@code last_seq} (the conversation's visible head
 * when the server counted), plus what was delivered after it; the user's own message restarts the
 * count at zero at its seq. The count covers the log up to {@code max(base, held seq)}. Then:
 *
 * <ul>
 *   <li>an entry delivered above that changes the count: +1 for a message from someone else above
 *       the read marker that was not recalled when it arrived; -1 for a recall whose target is in
 *       the count;
 *   <li>an entry delivered at or below it changes nothing: the marker's count includes it;
 *   <li>a recall's target is in the count if it is at or below the base (the server counted it, and
 *       the recall came later), or if it was delivered above the base before it was recalled: a
 *       target that arrived recalled (a sync after the recall) was never counted;
 *   <li>a marker taken below the held seq gets the entries between its {@code last_seq} and the
 *       held seq added, as if they were delivered after it (they are in the store: they were
 *       delivered);
 *   <li>the user's own message moves the read marker to it and restarts the count at zero there,
 *       since sending implies having read everything before it;
 *   <li>a marker with {@code last_seq} 0 (stored by a server before version 2) is taken at the held
 *       seq.
 * </ul>
 *
 * A recalled target the store lacks is looked up ({@code get_history}, one entry) to learn whether
 * it was counted, and kept. What the device cannot see it cannot count: a former member whose
 * message is recalled after they left keeps counting it, as they never get the recall.
 */
final class UnreadCounter {

  /** Looks up one entry of a conversation; empty if the server does not let the user read it. */
  interface Lookup {
    Optional<Message> entry(long conversationId, long seq);
  }

  private final SyncStore store;
  private final Lookup lookup;
  private long self;

  UnreadCounter(SyncStore store, Lookup lookup) {
    this.store = store;
    this.lookup = lookup;
  }

  void self(long userId) {
    self = userId;
  }

  /**
   * Sets {@code next}'s read state for the delivered {@code entry}, the entry after {@code
   * current}'s held seq. Records a restarted count (the user's own message) before the caller saves
   * the summary.
   */
  void delivered(Conversation current, Conversation.Builder next, Message entry) {
    long base = store.unreadCountedTo(entry.getConversationId());
    if (UpdateApplier.isUserMessage(entry) && entry.getSenderId() == self) {
      if (entry.getSeq() > current.getReadSeq()) {
        next.setReadSeq(entry.getSeq()).setUnreadCount(0);
        if (base > entry.getSeq()) {
          store.saveUnreadCountedTo(entry.getConversationId(), entry.getSeq());
        }
      }
      return;
    }
    if (entry.getSeq() > Math.max(base, current.getLastSeq())) {
      next.setUnreadCount(
          Math.max(0, current.getUnreadCount() + change(entry, current.getReadSeq(), base)));
    }
  }

  /**
   * Takes a read marker into {@code next}; false if it is stale (its read_seq is not ahead of the
   * one held). Records the marker's base before the caller saves the summary.
   */
  boolean readMarker(Conversation current, Conversation.Builder next, ReadMarker marker) {
    if (marker.getReadSeq() <= current.getReadSeq()) {
      return false; // the user's own later message moved it already, or the summary knows it
    }
    long held = current.getLastSeq();
    long base = marker.getLastSeq() == 0 ? held : marker.getLastSeq();
    int unread = marker.getUnreadCount();
    for (Message later : store.messages(current.getConversationId())) {
      if (later.getSeq() > base && later.getSeq() <= held) {
        unread += change(later, marker.getReadSeq(), base);
      }
    }
    store.saveUnreadCountedTo(current.getConversationId(), base);
    next.setReadSeq(marker.getReadSeq()).setUnreadCount(Math.max(0, unread));
    return true;
  }

  /** What an entry above the count adds to the count of a reader at {@code readSeq}. */
  private int change(Message entry, long readSeq, long base) {
    if (UpdateApplier.isUserMessage(entry)) {
      return entry.getSenderId() != self && !entry.getRecalled() && entry.getSeq() > readSeq
          ? 1
          : 0;
    }
    return entry.hasRecall() && targetCounted(entry, readSeq, base) ? -1 : 0;
  }

  /** Whether the target of {@code recall} is in the count; keeps a looked-up target. */
  @SuppressWarnings(
      "NullAway") // target is non-null past the lookup: found in the store, or fetched
  private boolean targetCounted(Message recall, long readSeq, long base) {
    long conversationId = recall.getConversationId();
    long targetSeq = recall.getRecall().getTargetSeq();
    if (targetSeq <= readSeq) {
      return false;
    }
    Message target = store.message(conversationId, targetSeq).orElse(null);
    boolean fetched = target == null;
    if (fetched) {
      target = lookup.entry(conversationId, targetSeq).orElse(null);
      if (target == null) {
        return false;
      }
      store.saveMessage(UpdateApplier.recalled(target, recall));
    }
    // Only messages can be recalled, so a recalled copy (content gone) was one. A looked-up target
    // is
    // in the baseline's count (the store lacks only what a baseline covered).
    boolean wasMessage = UpdateApplier.isUserMessage(target) || target.getRecalled();
    boolean arrivedRecalled = target.getRecalled() && !fetched && targetSeq > base;
    return wasMessage && target.getSenderId() != self && !arrivedRecalled;
  }
}
