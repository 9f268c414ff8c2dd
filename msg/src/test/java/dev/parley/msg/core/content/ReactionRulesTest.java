package dev.parley.msg.core.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.common.error.ParleyException;
import dev.parley.proto.client.Error.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReactionRulesTest {
  private final ReactionRules defaults = new ReactionRules(ReactionRules.DEFAULT_ALLOWED, 3, 20);
  private final ReactionRules any = new ReactionRules(List.of("any"), 3, 20);

  private static Reason reason(Runnable r) {
    try {
      r.run();
    } catch (ParleyException e) {
      return e.reason();
    }
    throw new AssertionError("accepted");
  }

  @Test
  void theDefaultSetIsTelegramLike_andEveryEntryIsOneEmoji() {
    assertThat(ReactionRules.DEFAULT_ALLOWED).hasSizeBetween(60, 80).doesNotHaveDuplicates();
    for (String e : ReactionRules.DEFAULT_ALLOWED)
      assertThat(ReactionRules.singleEmoji(ReactionRules.normalized(e))).as(e).isTrue();
  }

  @Test
  void variationSelectorsAreIgnored_andDuplicatesCollapse() {
    assertThat(defaults.checked(List.of("❤️", "❤", "👍"))).containsExactly("❤", "👍");
    assertThat(defaults.checked(List.of())).isEmpty();
  }

  @Test
  void theAllowedSetIsEnforced() {
    assertThat(reason(() -> defaults.checked(List.of("🦖"))))
        .isEqualTo(Reason.REACTION_NOT_ALLOWED);
    assertThat(reason(() -> defaults.checked(List.of("ok"))))
        .isEqualTo(Reason.REACTION_NOT_ALLOWED);
    assertThat(reason(() -> defaults.checked(List.of("")))).isEqualTo(Reason.REACTION_NOT_ALLOWED);
  }

  @Test
  void anyAcceptsExactlyOneGraphemeThatIsAnEmoji() {
    // ZWJ sequences, skin tones, flags and keycaps are one grapheme each.
    assertThat(any.checked(List.of("🦖", "👩‍👩‍👧", "👍🏽"))).hasSize(3);
    assertThat(any.checked(List.of("🇫🇷", "1️⃣", "☃️"))).containsExactly("🇫🇷", "1⃣", "☃");
    for (String bad : List.of("👍👍", "a", "1", "👍a", "abc", " ", "é", "©"))
      assertThat(reason(() -> any.checked(List.of(bad))))
          .as(bad)
          .isEqualTo(Reason.REACTION_NOT_ALLOWED);
  }

  @Test
  void atMostMaxPerUser() {
    assertThat(reason(() -> defaults.checked(List.of("👍", "👎", "🔥", "🎉"))))
        .isEqualTo(Reason.TOO_MANY_REACTIONS);
    // Duplicates do not count twice.
    assertThat(defaults.checked(List.of("👍", "👍", "👎", "🔥"))).hasSize(3);
  }

  @Test
  void aConfiguredSetWithSomethingElseThanEmojiIsRefusedAtStart() {
    assertThatThrownBy(() -> new ReactionRules(List.of("👍", "yes"), 3, 20))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReactionRules(List.of("👍"), 3, 2))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
