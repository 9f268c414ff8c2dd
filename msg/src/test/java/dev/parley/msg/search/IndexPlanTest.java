package dev.parley.msg.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.msg.search.IndexPlan.Slice;
import dev.parley.msg.store.SearchProgress.Held;
import java.util.List;
import org.junit.jupiter.api.Test;

class IndexPlanTest {

  @Test
  void smallConversationsShareOneTransaction() {
    IndexPlan plan =
        IndexPlan.of(
            List.of(1L, 2L, 3L), List.of(held(3, 0, 2), held(1, 4, 5), held(2, 9, 12)), 500);
    assertThat(plan.slices())
        .containsExactly(new Slice(1, 4, 5), new Slice(2, 9, 12), new Slice(3, 0, 2));
    assertThat(plan.notReached()).isEmpty();
    assertThat(plan.unfinished()).isEmpty();
  }

  @Test
  void aLongConversationTakesWhatIsLeftOfTheBudgetAndGoesToTheBack() {
    IndexPlan plan =
        IndexPlan.of(
            List.of(1L, 2L, 3L), List.of(held(1, 0, 3), held(2, 0, 1200), held(3, 0, 1)), 500);
    assertThat(plan.slices()).containsExactly(new Slice(1, 0, 3), new Slice(2, 0, 497));
    assertThat(plan.unfinished()).containsExactly(2L);
    assertThat(plan.notReached()).containsExactly(3L);
  }

  @Test
  void theBudgetEndsExactlyAtAConversationsHead() {
    IndexPlan plan = IndexPlan.of(List.of(1L, 2L), List.of(held(1, 10, 510), held(2, 0, 1)), 500);
    assertThat(plan.slices()).containsExactly(new Slice(1, 10, 510));
    assertThat(plan.unfinished()).isEmpty();
    assertThat(plan.notReached()).containsExactly(2L);
  }

  @Test
  void upToDateAndLockedElsewhereAreLeftOut() {
    // 2 is up to date; 3 is held by another indexer (not returned by the lock).
    IndexPlan plan = IndexPlan.of(List.of(1L, 2L, 3L), List.of(held(1, 0, 1), held(2, 7, 7)), 1);
    assertThat(plan.slices()).containsExactly(new Slice(1, 0, 1));
    assertThat(plan.notReached()).isEmpty();
    assertThat(plan.unfinished()).isEmpty();
  }

  private static Held held(long conversationId, long indexedSeq, long lastSeq) {
    return new Held(conversationId, indexedSeq, lastSeq);
  }
}
