package dev.parley.bench.load;

import dev.parley.proto.client.Message;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * What one device has received, and the checks made on every entry it applies. Confined to the
 * device's event loop.
 *
 * <p>Every entry arrives here in its conversation's seq order, whichever path brought it (live with
 * a pts, live without one, get_difference, sync_groups):
 *
 * <ul>
 *   <li>one-to-one entries come in the feed and are applied in pts order (the device buffers early
 *       ones and repairs gaps); both users' pts and the seq are assigned in the transaction that
 *       appends the entry, under the conversation's lock, so within a conversation pts order is seq
 *       order;
 *   <li>group entries are not ordered by pts (most have none: design.md 8.3); {@link GroupLogs}
 *       applies them by the group's held seq, and holds an entry back until every one before it is
 *       applied.
 * </ul>
 *
 * <p>So, for every path alike:
 *
 * <ul>
 *   <li>per conversation, each applied seq must be the previous one + 1 ({@link
 *       RunCounters#seqGaps});
 *   <li>per sender, each counter may arrive once: a second copy is a duplicate, whatever its seq,
 *       pts or path;
 *   <li>per (conversation, sender), a counter lower than one already applied means the server
 *       ordered the two messages opposite to how the sender numbered them ({@link
 *       PhaseStats#reordered}). That is allowed when the sender had both in flight at once (the
 *       protocol does not order concurrent requests); the sender checks the stronger property
 *       itself ({@link PhaseStats#causalViolations}).
 * </ul>
 */
final class Receipts {
  private record ConversationSender(long conversationId, int sender) {}

  private final Fleet fleet;
  private final int self;
  private final Map<Integer, BitSet> received = new HashMap<>();
  private final Map<Long, Long> lastSeq = new HashMap<>();
  private final Map<ConversationSender, Integer> lastCounter = new HashMap<>();
  private long messages;

  Receipts(Fleet fleet, int self) {
    this.fleet = fleet;
    this.self = self;
  }

  /**
   * Applies one log entry, received live ({@code viaSync} false, with or without a pts) or by
   * get_difference or sync_groups.
   */
  void apply(Message m, long arrivalNanos, boolean viaSync) {
    RunCounters counters = fleet.counters();
    Long last = lastSeq.get(m.getConversationId());
    if (last != null && m.getSeq() != last + 1) counters.seqGaps.increment();
    if (last == null || m.getSeq() > last) lastSeq.put(m.getConversationId(), m.getSeq());
    if (!m.hasText()) return; // service entries (group created, members added) and recalls
    Payload.Tag tag = Payload.parse(m.getText().getText());
    if (tag == null || !tag.runId().equals(fleet.ledger().runId())) return; // not from this run
    if (fleet.userIdOf(tag.sender()) != m.getSenderId()) {
      counters.corrupt.increment();
      return;
    }
    if (tag.sender() == self) return; // the echo of our own message
    messages++;
    BitSet bits = received.computeIfAbsent(tag.sender(), s -> new BitSet());
    if (bits.get(tag.counter())) {
      counters.duplicates.increment();
      PhaseStats p = fleet.ledger().phaseAt(tag.intendedNanos());
      if (p != null) p.duplicates.increment();
      return;
    }
    bits.set(tag.counter());
    ConversationSender cs = new ConversationSender(m.getConversationId(), tag.sender());
    Integer previous = lastCounter.get(cs);
    boolean reordered = previous != null && tag.counter() < previous;
    if (previous == null || tag.counter() > previous) lastCounter.put(cs, tag.counter());
    if (reordered) {
      PhaseStats p = fleet.ledger().phaseAt(tag.intendedNanos());
      if (p != null) p.reordered.increment();
    }
    if (!fleet.ledger().delivered(tag, arrivalNanos, viaSync)) counters.unexpected.increment();
  }

  /** Bench messages of other devices applied so far. */
  long messages() {
    return messages;
  }
}
