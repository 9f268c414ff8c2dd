package dev.parley.bench.load;

import dev.parley.proto.client.Message;
import java.util.Map;
import java.util.TreeMap;

/**
 * One group's log as a device follows it (design.md 8.3, 8.5): the seq it holds and the entries
 * that arrived before the one it needs next. Confined to the device's event loop; no I/O and no
 * timers, so the ordering rules can be tested on their own.
 *
 * <p>Invariants: every entry up to {@code held} has been applied (or is outside the device's
 * window) and none above it; entries are applied strictly in seq order, each at most once. An entry
 * with a seq at or below {@code held} is a copy and is dropped; {@code held + 1} is applied at
 * once, followed by whatever waited right behind it; a higher seq waits in {@code early} until the
 * gap before it closes, live or through sync_groups.
 */
final class GroupLog {
  /** Where applied entries go (the device's receipts). */
  @FunctionalInterface
  interface Sink {
    void apply(Message entry, long arrivalNanos, boolean viaSync);
  }

  /** What became of an offered entry. */
  enum Offer {
    APPLIED,
    STALE,
    EARLY
  }

  private record Early(Message entry, long arrivalNanos, boolean viaSync) {}

  final long conversationId;
  private long held;
  private final TreeMap<Long, Early> early = new TreeMap<>();

  /** A sync_groups request listing this group is awaiting its answer. */
  boolean syncing;

  /** A gap check is scheduled; {@code heldAtGapCheck} is the held seq when it was. */
  boolean gapCheckScheduled;

  long heldAtGapCheck;

  /**
   * A group followed from nothing: held 0 until the entry that added the device says where to
   * start.
   */
  GroupLog(long conversationId) {
    this.conversationId = conversationId;
  }

  long held() {
    return held;
  }

  /**
   * The device's membership begins at {@code seq} (the GROUP_CREATED or MEMBERS_ADDED entry that
   * added it, from its feed): nothing below is visible to it, so it holds everything below. The
   * bench never re-adds a removed member; for one that still lacked entries before its removal this
   * would skip them.
   */
  void joinedAt(long seq) {
    held = Math.max(held, seq - 1);
  }

  /**
   * An entry that arrived live or through the feed: applied when it is the next one, else kept or
   * dropped.
   */
  Offer offer(Message entry, long arrivalNanos, boolean viaSync, Sink sink) {
    long seq = entry.getSeq();
    if (seq <= held) return Offer.STALE;
    if (seq > held + 1) {
      early.putIfAbsent(seq, new Early(entry, arrivalNanos, viaSync));
      return Offer.EARLY;
    }
    sink.apply(entry, arrivalNanos, viaSync);
    held = seq;
    drain(sink);
    return Offer.APPLIED;
  }

  /**
   * An entry of a sync_groups answer. The server sends a group's entries in seq order from the held
   * seq up, starting later only where the device's window starts later, so each one not held yet is
   * applied.
   */
  void synced(Message entry, long arrivalNanos, Sink sink) {
    if (entry.getSeq() <= held) return;
    sink.apply(entry, arrivalNanos, true);
    held = entry.getSeq();
  }

  /**
   * The answer's {@code synced_seq} for this group, after its entries: the seq to hold (above the
   * last entry only where the server no longer keeps entries). Then what waited behind it is
   * applied.
   */
  void syncedUpTo(long syncedSeq, Sink sink) {
    held = Math.max(held, syncedSeq);
    drain(sink);
  }

  /** Whether entries wait behind a missing one. */
  boolean hasGap() {
    return !early.isEmpty() && early.firstKey() > held + 1;
  }

  /** Drops waiting copies of held entries and applies those that now follow {@code held}. */
  private void drain(Sink sink) {
    while (!early.isEmpty()) {
      Map.Entry<Long, Early> first = early.firstEntry();
      if (first.getKey() > held + 1) return;
      early.pollFirstEntry();
      if (first.getKey() == held + 1) {
        Early e = first.getValue();
        sink.apply(e.entry(), e.arrivalNanos(), e.viaSync());
        held = first.getKey();
      }
    }
  }
}
