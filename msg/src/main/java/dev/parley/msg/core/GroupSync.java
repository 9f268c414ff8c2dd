package dev.parley.msg.core;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.store.Entries;
import dev.parley.msg.store.Entry;
import dev.parley.msg.store.Members;
import dev.parley.msg.store.Members.Window;
import dev.parley.msg.store.Tx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * sync_groups: which of the listed conversations moved beyond the seq a device holds, and their new
 * entries (design.md 8.3, "How a device follows a group").
 *
 * <p><b>Why nothing is skipped.</b> The member's visible head h is read first (one statement for
 * all listed conversations), the entries in (held, h] in a later one. Every entry up to h committed
 * before h was visible (seq is allocated and committed under the conversation's row lock), so the
 * later statement sees them all; entries appended meanwhile have seqs above h and come with the
 * next request or live. The window is the member's (first_visible_seq .. head, or last_visible_seq
 * after leaving), whatever seq the device claims to hold.
 *
 * <p><b>Budget.</b> An answer holds at most {@code limit} entries; they are given to the moved
 * conversations in the order listed, each up to what it lacks, so a conversation that lacks many
 * does not starve the rest for more than one answer. Every moved conversation is reported, with the
 * seq the device holds once this answer is applied ({@code syncedSeq}) and its visible head; below
 * the head it has more. Entries deleted by retention are skipped: syncedSeq covers the whole range
 * given.
 */
public final class GroupSync {
  /** Most conversations one request may list. */
  public static final int MAX_LISTED = 5_000;

  private final Tx tx;
  private final Members members;
  private final Entries entries;

  public GroupSync(Tx tx, Members members, Entries entries) {
    this.tx = tx;
    this.members = members;
    this.entries = entries;
  }

  /**
   * One moved conversation: its entries in this answer are those in (afterSeq, syncedSeq]; hold
   * syncedSeq after applying them; headSeq is the visible end.
   */
  public record Progress(
      long conversationId, long afterSeq, long syncedSeq, long headSeq, boolean left) {}

  /**
   * @param entries the new entries, conversation after conversation in the order of {@code moved},
   *     each in seq order
   * @param notFound listed conversations the caller has no membership of (or that do not exist)
   */
  public record Answer(List<Progress> moved, List<Entry> entries, List<Long> notFound) {
    public boolean more() {
      return moved.stream().anyMatch(p -> p.syncedSeq() < p.headSeq());
    }
  }

  public Answer sync(Caller caller, long[] conversationIds, long[] heldSeqs, int limit) {
    if (conversationIds.length != heldSeqs.length) {
      throw ParleyException.invalid("seqs", "conversation_ids and seqs must have the same length");
    }
    if (conversationIds.length > MAX_LISTED) {
      throw ParleyException.invalid(
          "conversation_ids", "At most " + MAX_LISTED + " conversations per request");
    }
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < conversationIds.length; i++) {
      if (conversationIds[i] <= 0)
        throw ParleyException.invalid("conversation_ids", "conversation ids are positive");
      if (heldSeqs[i] < 0) throw ParleyException.invalid("seqs", "seqs must not be negative");
      if (!seen.add(conversationIds[i]))
        throw ParleyException.invalid("conversation_ids", "A conversation is listed twice");
    }
    if (conversationIds.length == 0) return new Answer(List.of(), List.of(), List.of());
    return tx.read(
        h -> {
          List<Window> windows = members.windows(h, caller.userId(), conversationIds);
          List<Long> notFound = new ArrayList<>();
          List<long[]> ranges = new ArrayList<>(); // conversation, after, to, head, left
          int budget = limit;
          for (int i = 0; i < conversationIds.length; i++) {
            Window w = windows.get(i);
            if (w == null) {
              notFound.add(conversationIds[i]);
              continue;
            }
            long from = Math.max(heldSeqs[i], w.firstVisibleSeq() - 1);
            if (w.head() <= from) continue;
            long take = Math.min(w.head() - from, budget);
            budget -= (int) take;
            ranges.add(
                new long[] {w.conversationId(), from, from + take, w.head(), w.active() ? 0 : 1});
          }
          List<Entry> found =
              entries.ranges(
                  h,
                  ranges.stream().mapToLong(r -> r[0]).toArray(),
                  ranges.stream().mapToLong(r -> r[1]).toArray(),
                  ranges.stream().mapToLong(r -> r[2]).toArray());
          List<Progress> moved = new ArrayList<>(ranges.size());
          for (long[] r : ranges) moved.add(new Progress(r[0], r[1], r[2], r[3], r[4] == 1));
          return new Answer(moved, found, notFound);
        });
  }
}
