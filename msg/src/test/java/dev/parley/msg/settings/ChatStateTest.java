package dev.parley.msg.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ChatStateTest {
  static final Instant NOW = Instant.parse("2026-12-06T07:00:00Z");

  @Test
  void aTimedMuteHoldsUntilItsEndAndIsThenShownAsNone() {
    ChatState muted =
        ChatState.DEFAULT.withPreviews(Previews.HIDE).withMute(new Mute.Until(NOW.plusSeconds(60)));
    assertThat(muted.mutedAt(NOW)).isTrue();
    assertThat(muted.mutedAt(NOW.plusSeconds(60))).isFalse();
    assertThat(muted.asOf(NOW)).isEqualTo(muted);
    assertThat(muted.asOf(NOW.plusSeconds(60)))
        .isEqualTo(new ChatState(null, false, Previews.HIDE));
  }

  @Test
  void foreverAndOffReplaceEachOtherAndKeepThePreviewException() {
    ChatState forever =
        ChatState.DEFAULT
            .withMute(new Mute.Until(NOW.plusSeconds(60)))
            .withPreviews(Previews.SHOW)
            .withMute(new Mute.Forever());
    assertThat(forever).isEqualTo(new ChatState(null, true, Previews.SHOW));
    assertThat(forever.mutedAt(NOW.plusSeconds(1_000_000_000))).isTrue();
    ChatState off = forever.withMute(new Mute.Off());
    assertThat(off.mutedAt(NOW)).isFalse();
    assertThat(off.isDefault()).isFalse();
    assertThat(off.withPreviews(Previews.DEFAULT).isDefault()).isTrue();
  }
}
