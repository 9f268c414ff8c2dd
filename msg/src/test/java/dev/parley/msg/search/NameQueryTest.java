package dev.parley.msg.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.core.UserDirectory.Profile;
import dev.parley.msg.search.NameQuery.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class NameQueryTest {

  private static NameQuery.@Nullable Match match(String query, String name) {
    return NameQuery.require(query).match(name);
  }

  private static @Nullable Tier tier(String query, String name) {
    NameQuery.Match m = match(query, name);
    return m == null ? null : m.tier();
  }

  /** The marked parts of {@code name}. */
  private static List<String> marked(String query, String name) {
    return Objects.requireNonNull(match(query, name)).ranges().stream()
        .map(r -> name.substring(r.start(), r.end()))
        .toList();
  }

  @Test
  void nothingSearchableIsRefused() {
    assertThat(NameQuery.parse(" ")).isNull();
    assertThat(NameQuery.parse("🎉 !?")).isNull();
    assertThatThrownBy(() -> NameQuery.require("…"))
        .isInstanceOf(ParleyException.class)
        .hasMessageContaining("no words");
  }

  @Test
  void everyWordIsAPrefixOfAWordInAnyOrder() {
    assertThat(marked("jo sm", "John Smith")).containsExactly("Jo", "Sm");
    assertThat(marked("smith j", "John Smith")).containsExactly("J", "Smith");
    assertThat(match("jo x", "John Smith")).isNull();
    // A Latin term never matches inside a word.
    assertThat(match("ohn", "John Smith")).isNull();
  }

  @Test
  void caseAndDiacriticsFold() {
    assertThat(marked("MÜL", "Jürgen Müller")).containsExactly("Mül");
    assertThat(marked("jurgen", "Jürgen Müller")).containsExactly("Jürgen");
    assertThat(marked("strass", "Straße")).containsExactly("Straß");
    assertThat(tier("muller jurgen", "Jürgen Müller")).isEqualTo(Tier.WORDS);
    assertThat(tier("JÜRGEN müller", "Jürgen Müller")).isEqualTo(Tier.EXACT);
  }

  @Test
  void cjkMatchesAnywhereInARun() {
    assertThat(marked("小明", "王小明")).containsExactly("小明");
    assertThat(tier("小明", "王小明")).isEqualTo(Tier.INFIX);
    assertThat(tier("王", "王小明")).isEqualTo(Tier.PREFIX);
    assertThat(tier("王小明", "王小明")).isEqualTo(Tier.EXACT);
    assertThat(marked("京", "北京 team")).containsExactly("京");
    assertThat(marked("北京 te", "北京 team")).containsExactly("北京", "te");
    assertThat(match("上海", "北京 team")).isNull();
  }

  @Test
  void usernamesSplitAtUnderscoresAndIgnoreTheAt() {
    assertThat(marked("@wang", "wang_xiaoming")).containsExactly("wang");
    assertThat(marked("xiao", "wang_xiaoming")).containsExactly("xiao");
  }

  @Test
  void overlappingTermsAreMarkedOnce() {
    assertThat(marked("jo joh", "John")).containsExactly("Joh");
  }

  @Test
  void tiersRankExactThenPrefixThenWordsThenInfix() {
    assertThat(tier("anna", "Anna")).isEqualTo(Tier.EXACT);
    assertThat(tier("ann", "Anna Berg")).isEqualTo(Tier.PREFIX);
    assertThat(tier("berg", "Anna Berg")).isEqualTo(Tier.WORDS);
    assertThat(Tier.EXACT).isLessThan(Tier.PREFIX);
    assertThat(Tier.WORDS).isLessThan(Tier.INFIX);
  }

  @Test
  void hitsRankByTierThenOwnNameThenDisplayNameBeforeUsername() {
    NameQuery q = NameQuery.require("anna");
    NameHit memberExact =
        Objects.requireNonNull(NameHit.person(q, new Profile(1, "Anna", "", ""), false));
    NameHit titleWord = Objects.requireNonNull(NameHit.title(q, "Team Anna"));
    NameHit peerExact =
        Objects.requireNonNull(NameHit.person(q, new Profile(2, "Anna", "", ""), true));
    List<NameHit> hits = new ArrayList<>(List.of(titleWord, memberExact, peerExact));
    hits.sort(NameHit.BEST);
    assertThat(hits).containsExactly(peerExact, memberExact, titleWord);

    // A username that matches better wins over a display name that matches worse.
    NameHit byUsername =
        Objects.requireNonNull(NameHit.person(q, new Profile(3, "Mrs Berg", "anna", ""), true));
    assertThat(byUsername.field()).isEqualTo(NameHit.Field.USERNAME);
    NameHit both =
        Objects.requireNonNull(NameHit.person(q, new Profile(4, "Anna", "anna", ""), true));
    assertThat(both.field()).isEqualTo(NameHit.Field.DISPLAY_NAME);
    assertThat(NameHit.person(q, new Profile(5, "Ben", "ben_berg", ""), true)).isNull();
  }
}
