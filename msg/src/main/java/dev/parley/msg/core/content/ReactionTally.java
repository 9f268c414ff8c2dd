package dev.parley.msg.core.content;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reactions on one message as the log writer holds them under the conversation's lock
 * (design.md 13.4): for each emoji, in the order it was first used, the users who reacted with it,
 * in the order they did. Loaded from the stored rows and changed by the batch's commands, so a
 * later command of the same batch sees an earlier one's reactions. Not thread-safe: one batch, one
 * thread.
 */
public final class ReactionTally {
  private final Map<String, LinkedHashSet<Long>> byEmoji = new LinkedHashMap<>();

  /** The order of emoji set at the same moment (SQL: COLLATE "C" on UTF-8). */
  static final Comparator<String> BY_CODE_POINTS =
      (a, b) -> Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());

  /** One stored reaction, oldest first when loading. */
  public record Reaction(long userId, String emoji) {}

  /** What a change of one user's set does to the stored rows. */
  public record Change(List<String> removed, List<String> added) {
    public boolean none() {
      return removed.isEmpty() && added.isEmpty();
    }
  }

  public static ReactionTally of(List<Reaction> oldestFirst) {
    ReactionTally t = new ReactionTally();
    for (Reaction r : oldestFirst)
      t.byEmoji.computeIfAbsent(r.emoji(), e -> new LinkedHashSet<>()).add(r.userId());
    return t;
  }

  /** The emoji {@code userId} reacted with, in the tally's emoji order. */
  public List<String> of(long userId) {
    List<String> mine = new ArrayList<>();
    byEmoji.forEach(
        (e, users) -> {
          if (users.contains(userId)) mine.add(e);
        });
    return mine;
  }

  /**
   * How many distinct emoji the message would carry if {@code userId}'s set became {@code emoji}.
   */
  public int distinctAfter(long userId, List<String> emoji) {
    Set<String> after = new LinkedHashSet<>(emoji);
    byEmoji.forEach(
        (e, users) -> {
          if (users.size() > 1 || !users.contains(userId)) after.add(e);
        });
    return after.size();
  }

  /** Makes {@code emoji} the full set of {@code userId}; returns what changed. */
  public Change set(long userId, List<String> emoji) {
    List<String> before = of(userId);
    List<String> removed = new ArrayList<>(before);
    removed.removeAll(emoji);
    List<String> added = new ArrayList<>(new LinkedHashSet<>(emoji));
    added.removeAll(before);
    // Set at one moment, so ordered as the stored rows are read back: by code point.
    added.sort(BY_CODE_POINTS);
    for (String e : removed) {
      Set<Long> users = byEmoji.get(e);
      if (users == null) continue;
      users.remove(userId);
      if (users.isEmpty()) byEmoji.remove(e);
    }
    for (String e : added) byEmoji.computeIfAbsent(e, k -> new LinkedHashSet<>()).add(userId);
    return new Change(removed, added);
  }

  /** Drops every reaction of {@code userId} (their membership ended). */
  public void remove(long userId) {
    set(userId, List.of());
  }

  /** One count per emoji, in the order the emoji were first used. */
  public List<ReactionCount> counts() {
    List<ReactionCount> out = new ArrayList<>(byEmoji.size());
    byEmoji.forEach((e, users) -> out.add(new ReactionCount(e, users.size())));
    return out;
  }
}
