package dev.parley.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.proto.client.Message;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a device applies one group's entries by seq, whatever path and order they arrive in. */
class GroupLogTest {
  private static final long GROUP = 9;

  /** What the log applied, as "seq:path" (live, sync). */
  private final List<String> applied = new ArrayList<>();

  private final GroupLog.Sink sink =
      (m, nanos, viaSync) -> applied.add(m.getSeq() + (viaSync ? ":sync" : ":live"));

  private static Message entry(long seq) {
    return Message.newBuilder().setConversationId(GROUP).setSeq(seq).build();
  }

  private GroupLog joinedAtOne() {
    GroupLog g = new GroupLog(GROUP);
    g.joinedAt(1);
    assertThat(g.offer(entry(1), 0, false, sink)).isEqualTo(GroupLog.Offer.APPLIED);
    return g;
  }

  @Test
  void theNextSeqIsAppliedAndAHeldOneIsACopy() {
    GroupLog g = joinedAtOne();
    assertThat(g.offer(entry(2), 0, false, sink)).isEqualTo(GroupLog.Offer.APPLIED);
    assertThat(g.offer(entry(2), 0, false, sink)).isEqualTo(GroupLog.Offer.STALE);
    assertThat(g.offer(entry(1), 0, true, sink)).isEqualTo(GroupLog.Offer.STALE);
    assertThat(applied).containsExactly("1:live", "2:live");
    assertThat(g.held()).isEqualTo(2);
    assertThat(g.hasGap()).isFalse();
  }

  @Test
  void anEarlyEntryWaitsForTheGapToCloseLiveAndKeepsItsPathAndArrival() {
    GroupLog g = joinedAtOne();
    List<Long> arrivals = new ArrayList<>();
    GroupLog.Sink timed = (m, nanos, viaSync) -> arrivals.add(nanos);
    assertThat(g.offer(entry(4), 40, false, timed)).isEqualTo(GroupLog.Offer.EARLY);
    assertThat(g.offer(entry(3), 30, false, timed)).isEqualTo(GroupLog.Offer.EARLY);
    assertThat(g.hasGap()).isTrue();
    assertThat(arrivals).isEmpty();
    assertThat(g.offer(entry(2), 20, false, timed)).isEqualTo(GroupLog.Offer.APPLIED);
    assertThat(arrivals).containsExactly(20L, 30L, 40L);
    assertThat(g.held()).isEqualTo(4);
    assertThat(g.hasGap()).isFalse();
  }

  @Test
  void aSyncAnswerFillsTheGapAndTheWaitingCopiesOfWhatItBroughtAreDropped() {
    GroupLog g = joinedAtOne();
    g.offer(entry(3), 0, false, sink);
    g.offer(entry(5), 0, false, sink);
    g.synced(entry(2), 0, sink);
    g.synced(entry(3), 0, sink);
    g.syncedUpTo(3, sink);
    // 3 came by sync first; its live copy is dropped. 4 is still missing, so 5 waits.
    assertThat(applied).containsExactly("1:live", "2:sync", "3:sync");
    assertThat(g.hasGap()).isTrue();
    g.synced(entry(4), 0, sink);
    g.syncedUpTo(4, sink);
    assertThat(applied).containsExactly("1:live", "2:sync", "3:sync", "4:sync", "5:live");
    assertThat(g.held()).isEqualTo(5);
  }

  @Test
  void aSyncAnswerSkipsWhatTheDeviceAlreadyHolds() {
    GroupLog g = joinedAtOne();
    g.offer(entry(2), 0, false, sink);
    for (long seq = 1; seq <= 3; seq++) g.synced(entry(seq), 0, sink);
    g.syncedUpTo(3, sink);
    assertThat(applied).containsExactly("1:live", "2:live", "3:sync");
  }

  @Test
  void entriesThatOvertookTheOneAddingTheDeviceWaitForIt() {
    GroupLog g = new GroupLog(GROUP);
    // Added at seq 7: the live entries 8 and 9 arrive before the feed brings 7.
    assertThat(g.offer(entry(8), 0, false, sink)).isEqualTo(GroupLog.Offer.EARLY);
    assertThat(g.offer(entry(9), 0, false, sink)).isEqualTo(GroupLog.Offer.EARLY);
    g.joinedAt(7);
    assertThat(g.offer(entry(7), 0, true, sink)).isEqualTo(GroupLog.Offer.APPLIED);
    assertThat(applied).containsExactly("7:sync", "8:live", "9:live");
    assertThat(g.held()).isEqualTo(9);
  }

  @Test
  void heldMovesPastEntriesTheServerNoLongerKeeps() {
    GroupLog g = joinedAtOne();
    g.offer(entry(6), 0, false, sink);
    g.syncedUpTo(5, sink);
    assertThat(g.held()).isEqualTo(6);
    assertThat(applied).containsExactly("1:live", "6:live");
  }
}
