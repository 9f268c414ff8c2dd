package dev.parley.msg.search;

import dev.parley.msg.store.SearchProgress.Held;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one indexer transaction applies (design.md 14.4): for the conversations taken, in their
 * order, the entries after each one's position, until {@code budget} entries are planned. A
 * conversation left with more entries goes to the back of the queue ({@link #unfinished}); the ones
 * the budget did not reach keep their place at the front ({@link #notReached}). Conversations whose
 * position another indexer holds are left out: it does their work.
 *
 * @param slices per conversation, entries {@code from < seq <= to} to apply, and {@code to} is the
 *     new position
 */
record IndexPlan(List<Slice> slices, List<Long> notReached, List<Long> unfinished) {

  /** Entries {@code from < seq <= to} of a conversation. */
  record Slice(long conversationId, long from, long to) {}

  /**
   * @param taken the conversations, in queue order
   * @param held the positions this transaction locked (any order; a subset of {@code taken})
   */
  static IndexPlan of(List<Long> taken, List<Held> held, int budget) {
    Map<Long, Held> byId = new HashMap<>();
    for (Held p : held) byId.put(p.conversationId(), p);
    List<Slice> slices = new ArrayList<>();
    List<Long> notReached = new ArrayList<>();
    List<Long> unfinished = new ArrayList<>();
    long left = budget;
    for (long c : taken) {
      Held p = byId.get(c);
      if (p == null || p.lastSeq() <= p.indexedSeq()) continue;
      if (left == 0) {
        notReached.add(c);
        continue;
      }
      // Seqs are gap-free (design.md 8.2; retention only removes a prefix), so a range of n seqs
      // holds at most n entries.
      long to = Math.min(p.lastSeq(), p.indexedSeq() + left);
      slices.add(new Slice(c, p.indexedSeq(), to));
      left -= to - p.indexedSeq();
      if (to < p.lastSeq()) unfinished.add(c);
    }
    return new IndexPlan(slices, notReached, unfinished);
  }
}
