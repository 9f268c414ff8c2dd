package dev.parley.push.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PartitionProgressTest {
  private final PartitionProgress progress = new PartitionProgress();

  @Test
  void nothingIsCommittableBeforeAJobIsHandedOut() {
    assertThat(progress.committable()).isEmpty();
  }

  @Test
  void theOffsetStopsAtTheOldestUnfinishedJob() {
    for (long offset = 10; offset < 15; offset++) progress.handedOut(offset);
    assertThat(progress.committable()).hasValue(10);

    progress.finish(10);
    progress.finish(11);
    assertThat(progress.committable()).hasValue(12);
  }

  @Test
  void finishingLaterJobsFirstDoesNotMoveItPastTheOldestUnfinished() {
    for (long offset = 0; offset < 5; offset++) progress.handedOut(offset);
    progress.finish(4);
    progress.finish(3);
    progress.finish(1);
    assertThat(progress.committable()).hasValue(0);

    progress.finish(0);
    assertThat(progress.committable()).hasValue(2);

    progress.finish(2);
    assertThat(progress.committable()).hasValue(5);
    assertThat(progress.unfinishedCount()).isZero();
  }

  @Test
  void gapsInOffsetsLeftByCompactionOrTransactionsDoNotHoldTheOffsetBack() {
    progress.handedOut(3);
    progress.handedOut(7);
    progress.finish(3);
    assertThat(progress.committable()).hasValue(7);
    progress.finish(7);
    assertThat(progress.committable()).hasValue(8);
  }

  @Test
  void eachJobIsFinishedOnceAndUnknownOffsetsAreIgnored() {
    progress.handedOut(0);
    assertThat(progress.finish(0)).isTrue();
    assertThat(progress.finish(0)).isFalse();
    assertThat(progress.finish(42)).isFalse();
  }

  @Test
  void aRevokedPartitionIgnoresLateFinishes() {
    progress.handedOut(0);
    progress.handedOut(1);
    progress.finish(1);

    assertThat(progress.revoke()).isEqualTo(1);
    assertThat(progress.finish(0)).isFalse();
    assertThat(progress.unfinishedCount()).isZero();
  }

  @Test
  void offsetsMustBeHandedOutInOrder() {
    progress.handedOut(5);
    assertThatThrownBy(() -> progress.handedOut(4)).isInstanceOf(IllegalArgumentException.class);
    assertThat(progress.committable()).isEqualTo(OptionalLong.of(5));
  }
}
