package dev.parley.msg.recent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.msg.core.content.Content;
import dev.parley.msg.store.Entry;
import dev.parley.msg.store.EntryKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rules that decide when a cached snapshot may answer instead of the table. */
class RecentSnapshotTest {
  private static final long CONV = 7;
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  /** Entry seq n was created n minutes after T0. */
  static Entry entry(long seq) {
    return new Entry(
        CONV,
        seq,
        1000 + seq,
        42,
        "c" + seq,
        EntryKind.TEXT,
        new Content.Text("m" + seq),
        0,
        T0.plusSeconds(60 * seq),
        null);
  }

  /** Entries from head down to oldest, newest first. */
  static List<Entry> entries(long head, long oldest) {
    List<Entry> out = new ArrayList<>();
    for (long s = head; s >= oldest; s--) out.add(entry(s));
    return out;
  }

  static RecentSnapshot snapshot(long head, long oldest, long below) {
    return new RecentSnapshot(CONV, entries(head, oldest), below);
  }

  static List<Long> seqs(Optional<List<Entry>> found) {
    return found.orElseThrow().stream().map(Entry::seq).toList();
  }

  @Test
  void isCurrentExactlyWhenItsHeadIsTheConversationsLastSeq() {
    RecentSnapshot s = snapshot(10, 1, RecentSnapshot.NONE);
    assertThat(s.validAt(10)).isTrue();
    assertThat(s.validAt(11)).as("an entry (or a recall) was appended since").isFalse();
    assertThat(s.validAt(9)).as("the reader's row is older than the snapshot").isFalse();
  }

  @Test
  void refusesEntriesThatAreNotOneConversationsContiguousNewest() {
    assertThatThrownBy(
            () -> new RecentSnapshot(CONV, List.of(entry(10), entry(8)), RecentSnapshot.UNKNOWN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new RecentSnapshot(CONV, List.of(entry(9), entry(10)), RecentSnapshot.UNKNOWN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new RecentSnapshot(CONV + 1, List.of(entry(10)), RecentSnapshot.UNKNOWN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RecentSnapshot(CONV, List.of(), RecentSnapshot.UNKNOWN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> snapshot(10, 5, 5))
        .as("below must be older than the oldest")
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void answersARangeItHoldsEnoughOf() {
    RecentSnapshot s = snapshot(100, 51, 50);
    assertThat(seqs(s.newest(1, 100, 3, null))).containsExactly(100L, 99L, 98L);
    assertThat(seqs(s.newest(1, 60, 10, null)))
        .as("the newest of a range below the head")
        .containsExactly(60L, 59L, 58L, 57L, 56L, 55L, 54L, 53L, 52L, 51L);
    assertThat(s.newest(1, 60, 11, null)).as("the 11th is not held").isEmpty();
    assertThat(s.newest(1, 101, 1, null)).as("beyond the head").isEmpty();
  }

  @Test
  void answersARangeItReachesTheStartOf() {
    RecentSnapshot s = snapshot(100, 51, 50);
    assertThat(seqs(s.newest(95, 100, 20, null)))
        .as("member who joined at 95")
        .containsExactly(100L, 99L, 98L, 97L, 96L, 95L);
    assertThat(seqs(s.newest(51, 52, 20, null))).containsExactly(52L, 51L);
    assertThat(s.newest(50, 52, 20, null)).as("entry 50 exists and is not held").isEmpty();
    assertThat(seqs(s.newest(80, 70, 5, null))).as("an empty range").isEmpty();

    RecentSnapshot whole = snapshot(5, 1, RecentSnapshot.NONE);
    assertThat(seqs(whole.newest(1, 5, 20, null))).containsExactly(5L, 4L, 3L, 2L, 1L);
    RecentSnapshot afterRetention = snapshot(5, 3, RecentSnapshot.NONE);
    assertThat(seqs(afterRetention.newest(1, 5, 20, null)))
        .as("nothing below 3 exists")
        .containsExactly(5L, 4L, 3L);
    RecentSnapshot gapBelow = snapshot(5, 3, 1);
    assertThat(seqs(gapBelow.newest(2, 5, 20, null)))
        .as("2 does not exist: the next older is 1")
        .containsExactly(5L, 4L, 3L);
    assertThat(gapBelow.newest(1, 5, 20, null)).isEmpty();
    RecentSnapshot seed = snapshot(5, 5, RecentSnapshot.UNKNOWN);
    assertThat(seqs(seed.newest(1, 5, 1, null))).containsExactly(5L);
    assertThat(seed.newest(1, 5, 2, null)).isEmpty();
  }

  @Test
  void pagesKnowWhetherOlderEntriesExist() {
    RecentSnapshot s = snapshot(100, 51, 50);
    RecentSnapshot.Page p = s.page(1, 100, 49, null).orElseThrow();
    assertThat(p.entries()).hasSize(49);
    assertThat(p.more()).isTrue();
    p = s.page(1, 100, 50, null).orElseThrow();
    assertThat(p.entries()).extracting(Entry::seq).startsWith(100L).endsWith(51L);
    assertThat(p.more()).as("entry 50 exists (below)").isTrue();
    assertThat(s.page(1, 100, 51, null)).isEmpty();
    p = s.page(51, 100, 50, null).orElseThrow();
    assertThat(p.more()).as("a member who sees from 51 has nothing older").isFalse();
    p = s.page(80, 100, 50, null).orElseThrow();
    assertThat(p.entries()).hasSize(21);
    assertThat(p.more()).isFalse();

    RecentSnapshot unknownBelow = snapshot(100, 51, RecentSnapshot.UNKNOWN);
    assertThat(unknownBelow.page(1, 100, 50, null)).as("whether 50 exists is unknown").isEmpty();
    assertThat(unknownBelow.page(1, 100, 49, null)).isPresent();
    RecentSnapshot whole = snapshot(50, 1, RecentSnapshot.NONE);
    p = whole.page(1, 50, 50, null).orElseThrow();
    assertThat(p.entries()).hasSize(50);
    assertThat(p.more()).isFalse();
    p = whole.page(0, 50, 50, null).orElseThrow();
    assertThat(p.more()).as("first_visible_seq 0 is no entry").isFalse();
  }

  @Test
  void refusesToAnswerWithEntriesRetentionMayHaveDeleted() {
    RecentSnapshot s = snapshot(10, 1, RecentSnapshot.NONE);
    Instant cutoff = entry(8).createdAt();
    assertThat(seqs(s.newest(1, 10, 3, cutoff))).containsExactly(10L, 9L, 8L);
    assertThat(s.newest(1, 10, 4, cutoff)).as("entry 7 is older than the cutoff").isEmpty();
    assertThat(s.page(1, 10, 2, cutoff)).isPresent();
    assertThat(s.page(1, 10, 3, cutoff)).as("the page needs entry 7 for its more flag").isEmpty();
  }

  @Test
  void aTableSnapshotIsTheRunWithoutGapsFromTheNewestRow() {
    RecentSnapshot full = RecentSnapshot.ofTable(CONV, entries(60, 10), 51).orElseThrow();
    assertThat(full.headSeq()).isEqualTo(60);
    assertThat(full.below())
        .as("as many rows as asked: more may exist")
        .isEqualTo(RecentSnapshot.UNKNOWN);
    RecentSnapshot kept = full.top(50);
    assertThat(kept.oldestSeq()).isEqualTo(11);
    assertThat(kept.below()).as("the 51st row read").isEqualTo(10);

    RecentSnapshot shortLog = RecentSnapshot.ofTable(CONV, entries(3, 1), 51).orElseThrow();
    assertThat(shortLog.below()).isEqualTo(RecentSnapshot.NONE);
    assertThat(shortLog.top(50)).isSameAs(shortLog);

    List<Entry> withGap = new ArrayList<>(entries(10, 6));
    withGap.addAll(entries(3, 1));
    RecentSnapshot cut = RecentSnapshot.ofTable(CONV, withGap, 51).orElseThrow();
    assertThat(cut.oldestSeq()).isEqualTo(6);
    assertThat(cut.below()).as("rows 4 and 5 were deleted").isEqualTo(3);

    assertThat(RecentSnapshot.ofTable(CONV, List.of(), 51)).isEmpty();
  }
}
