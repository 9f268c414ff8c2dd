package dev.parley.msg.settings;

import dev.parley.common.error.ParleyException;
import dev.parley.proto.client.Error.Reason;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A user's pinned chats: conversation id to pin rank (above 0; the highest is on top). Pure rules,
 * no storage: where a new pin goes, the limit, and what a reorder changes.
 *
 * <p>Ranks only grow: a new pin takes the highest rank plus one and nothing else moves, so pinning
 * writes one state (one feed update), not one per pinned chat. A reorder renumbers the list n..1
 * and reports only the chats whose rank changed. (A rank would pass 2^31 only after that many pins
 * by one user without a reorder, which renumbers from 1.)
 */
public record PinnedChats(Map<Long, Integer> ranks) {

  public PinnedChats {
    ranks = Map.copyOf(ranks);
  }

  /**
   * The rank a newly pinned chat gets: on top.
   *
   * @throws ParleyException TOO_MANY_PINNED_CHATS when {@code max} chats are pinned already
   */
  public int rankForNewPin(int max) {
    if (ranks.size() >= max) {
      throw new ParleyException(
          Reason.TOO_MANY_PINNED_CHATS, "At most " + max + " chats can be pinned; unpin one first");
    }
    return ranks.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
  }

  /**
   * The new ranks of a reorder, top first, for the chats whose rank changes.
   *
   * @param order every pinned chat, once, top first
   * @throws ParleyException PINNED_CHATS_MISMATCH when {@code order} is not exactly the pinned
   *     chats
   */
  public Map<Long, Integer> reorder(List<Long> order) {
    Set<Long> listed = new HashSet<>(order);
    if (listed.size() != order.size() || !listed.equals(ranks.keySet())) {
      throw new ParleyException(
          Reason.PINNED_CHATS_MISMATCH,
          "The order must list each pinned chat once (" + ranks.size() + " are pinned)");
    }
    Map<Long, Integer> changed = new LinkedHashMap<>();
    for (int i = 0; i < order.size(); i++) {
      long id = order.get(i);
      int rank = order.size() - i;
      if (!Integer.valueOf(rank).equals(ranks.get(id))) changed.put(id, rank);
    }
    return changed;
  }
}
