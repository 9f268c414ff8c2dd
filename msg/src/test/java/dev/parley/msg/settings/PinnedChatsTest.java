package dev.parley.msg.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.common.error.ParleyException;
import dev.parley.proto.client.Error.Reason;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PinnedChatsTest {

  @Test
  void aNewPinGoesOnTopWithoutMovingTheOthers() {
    assertThat(new PinnedChats(Map.of()).rankForNewPin(10)).isEqualTo(1);
    assertThat(new PinnedChats(Map.of(5L, 1, 6L, 4, 7L, 2)).rankForNewPin(10)).isEqualTo(5);
  }

  @Test
  void theLimitCountsThePinnedChats() {
    PinnedChats two = new PinnedChats(Map.of(5L, 1, 6L, 2));
    assertThat(two.rankForNewPin(3)).isEqualTo(3);
    assertThatThrownBy(() -> two.rankForNewPin(2))
        .isInstanceOfSatisfying(
            ParleyException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_PINNED_CHATS));
  }

  @Test
  void aReorderRenumbersTopFirstAndReportsOnlyWhatMoved() {
    // 7 on top, then 6, then 5.
    PinnedChats pins = new PinnedChats(Map.of(5L, 1, 6L, 2, 7L, 9));
    // 6 to the top: 6 -> 3, 7 -> 2; 5 stays 1.
    assertThat(pins.reorder(List.of(6L, 7L, 5L)))
        .containsExactly(Map.entry(6L, 3), Map.entry(7L, 2));
    assertThat(new PinnedChats(Map.of(5L, 1, 6L, 2)).reorder(List.of(6L, 5L))).isEmpty();
  }

  @Test
  void aReorderMustListExactlyThePinnedChats() {
    PinnedChats pins = new PinnedChats(Map.of(5L, 1, 6L, 2));
    for (List<Long> wrong :
        List.of(List.of(6L), List.of(6L, 5L, 7L), List.of(6L, 6L), List.of(6L, 6L, 5L))) {
      assertThatThrownBy(() -> pins.reorder(wrong))
          .isInstanceOfSatisfying(
              ParleyException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.PINNED_CHATS_MISMATCH));
    }
  }
}
