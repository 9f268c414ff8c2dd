package dev.parley.msg.core.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReactionTallyTest {

  private static ReactionTally.Reaction r(long user, String emoji) {
    return new ReactionTally.Reaction(user, emoji);
  }

  @Test
  void countsPerEmoji_inTheOrderTheEmojiWereFirstUsed() {
    ReactionTally t = ReactionTally.of(List.of(r(1, "👍"), r(2, "❤"), r(2, "👍"), r(3, "👍")));
    assertThat(t.counts()).containsExactly(new ReactionCount("👍", 3), new ReactionCount("❤", 1));
    assertThat(t.of(2)).containsExactly("👍", "❤");
  }

  @Test
  void setReplacesTheUsersWholeSet_andReportsTheRowChanges() {
    ReactionTally t = ReactionTally.of(List.of(r(1, "👍"), r(1, "❤"), r(2, "❤")));
    ReactionTally.Change c = t.set(1, List.of("❤", "🔥"));
    assertThat(c.removed()).containsExactly("👍");
    assertThat(c.added()).containsExactly("🔥");
    assertThat(t.counts()).containsExactly(new ReactionCount("❤", 2), new ReactionCount("🔥", 1));
    assertThat(t.set(1, List.of("🔥", "❤")).none()).isTrue();
  }

  @Test
  void anEmptySetOrARemovedMemberLeavesNoTrace() {
    ReactionTally t = ReactionTally.of(List.of(r(1, "👍"), r(2, "👍"), r(2, "🎉")));
    t.set(1, List.of());
    t.remove(2);
    assertThat(t.counts()).isEmpty();
    assertThat(t.of(2)).isEmpty();
  }

  @Test
  void distinctAfterCountsOnlyWhatOthersKeep() {
    ReactionTally t = ReactionTally.of(List.of(r(1, "👍"), r(1, "🔥"), r(2, "👍")));
    // User 1 dropping 🔥 (theirs alone) for 🎉 keeps two distinct emoji; user 2 adding 🎉 makes 3.
    assertThat(t.distinctAfter(1, List.of("👍", "🎉"))).isEqualTo(2);
    assertThat(t.distinctAfter(2, List.of("👍", "🎉"))).isEqualTo(3);
  }

  @Test
  void emojiSetAtOneMomentAreOrderedByCodePoint_asTheStoredRowsReadBack() {
    ReactionTally t = ReactionTally.of(List.of());
    t.set(1, List.of("👍", "❤"));
    assertThat(t.counts()).extracting(ReactionCount::emoji).containsExactly("❤", "👍");
  }
}
