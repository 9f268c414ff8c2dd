package dev.parley.msg.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.msg.search.SearchQuery.Range;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class SearchQueryTest {

  private static SearchQuery q(String raw) {
    return Objects.requireNonNull(SearchQuery.parse(raw));
  }

  /** The matched parts of {@code text}, or null when the query does not match. */
  private static @Nullable List<String> marked(String raw, String text) {
    List<Range> ranges = q(raw).match(text);
    return ranges == null
        ? null
        : ranges.stream().map(r -> text.substring(r.start(), r.end())).toList();
  }

  /** The index holds every token the query asks for whenever the query matches. */
  private static void assertIndexed(String raw, String text) {
    assertThat(SearchTokenizer.indexTokens(text)).containsAll(q(raw).tokens());
  }

  @Test
  void nothingSearchableIsNoQuery() {
    assertThat(SearchQuery.parse("  ")).isNull();
    assertThat(SearchQuery.parse("🎉!?")).isNull();
    assertThat(SearchQuery.parse("\"\"")).isNull();
  }

  @Test
  void wordsMatchInAnyOrderIgnoringCaseAndAccents() {
    assertThat(marked("muller meeting ", "Meeting with Herr Müller"))
        .containsExactly("Meeting", "Müller");
    assertIndexed("muller meeting ", "Meeting with Herr Müller");
    assertThat(marked("Grüße ", "viele GRUSSE")).containsExactly("GRUSSE");
    assertThat(marked("meeting lunch ", "Meeting with Herr Müller")).isNull();
  }

  @Test
  void theLastWordIsAPrefixWhileTyping() {
    SearchQuery typing = q("project meet");
    assertThat(typing.terms().get(0).prefix()).isFalse();
    assertThat(typing.terms().get(1).prefix()).isTrue();
    assertThat(typing.tokens()).containsExactly("w:project", "p:meet");
    assertThat(marked("project meet", "Project meeting at 10"))
        .containsExactly("Project", "meeting");
    assertIndexed("project meet", "Project meeting at 10");
    // A trailing space ends the word: now it must be whole.
    assertThat(marked("project meet ", "Project meeting at 10")).isNull();
    // One letter is too little to look up as a prefix: it is a whole word.
    assertThat(q("a").terms().get(0).prefix()).isFalse();
  }

  @Test
  void aTypedPrefixLongerThanTheIndexedOnesLooksUpSixCharactersAndIsCheckedWhole() {
    SearchQuery typing = q("internationaliz");
    assertThat(typing.tokens()).containsExactly("p:intern");
    assertThat(typing.match("Internationalization rocks")).isNotNull();
    assertThat(typing.match("Internationally")).isNull();
    assertThat(typing.match("Internal memo")).isNull();
    assertIndexed("internationaliz", "Internationalization rocks");
  }

  @Test
  void aLongWordLooksUpItsOwnTokenAndMustMatchWhole() {
    SearchQuery word = q("presentation ");
    assertThat(word.tokens()).containsExactly("w:presentation");
    assertThat(marked("presentation ", "The Presentation is at 10"))
        .containsExactly("Presentation");
    assertIndexed("presentation ", "The Presentation is at 10");
    assertThat(word.match("two presentations")).isNull();
  }

  @Test
  void aLongNumberLooksUpItsPrefixAndBucketAndMustMatchWhole() {
    SearchQuery number = q("34123456789012 ");
    assertThat(number.tokens())
        .containsExactlyElementsOf(SearchTokenizer.wordLookup("34123456789012"))
        .first()
        .isEqualTo("p:341234");
    assertIndexed("34123456789012 ", "Order 34123456789012 shipped");
    // Same prefix, maybe the same bucket: the check wants the whole number.
    assertThat(number.match("Order 34123456789013 shipped")).isNull();
  }

  @Test
  void aTypedPrefixOfFiveLooksUpFourAndIsCheckedWhole() {
    SearchQuery typing = q("lunch");
    assertThat(typing.tokens()).containsExactly("p:lunc");
    assertThat(marked("lunch", "Lunches at noon")).containsExactly("Lunches");
    assertIndexed("lunch", "Lunches at noon");
    assertThat(typing.match("lunc")).isNull();
  }

  @Test
  void rowsIndexedWithEveryPrefixOfTwoToSixHoldWhatEveryQueryAsks() {
    // Builds up to a648747 indexed each word and all its prefixes of 2 to 6 characters.
    List<String> before =
        List.of(
            "w:project",
            "p:pr",
            "p:pro",
            "p:proj",
            "p:proje",
            "p:projec",
            "w:meeting",
            "p:me",
            "p:mee",
            "p:meet",
            "p:meeti",
            "p:meetin");
    for (String query : List.of("project meeting ", "project meeti", "proje", "meeting", "pr"))
      assertThat(before).as(query).containsAll(q(query).tokens());
  }

  @Test
  void oneChineseCharacterLooksUpItsUnigramAndMatchesInsideARun() {
    assertThat(q("京").tokens()).containsExactly("c:京");
    assertThat(marked("京", "我们明天去北京开会")).containsExactly("京");
    assertIndexed("京", "我们明天去北京开会");
    assertThat(marked("海", "我们明天去北京开会")).isNull();
  }

  @Test
  void chineseWordsLookUpBigramsAndTheCheckRemovesFalseHits() {
    assertThat(q("北京开会").tokens()).containsExactly("c:北京", "c:京开", "c:开会");
    assertThat(marked("北京开会", "我们明天去北京开会")).containsExactly("北京开会");
    assertIndexed("北京开会", "我们明天去北京开会");
    // Every bigram is present, yet "北京开" is not in the text: the check refuses it.
    String scattered = "北京很好，京开高速，开会";
    assertThat(SearchTokenizer.indexTokens(scattered)).containsAll(q("北京开").tokens());
    assertThat(marked("北京开", scattered)).isNull();
  }

  @Test
  void japaneseAndKorean() {
    assertThat(marked("会議", "東京で会議があります")).containsExactly("会議");
    assertIndexed("会議", "東京で会議があります");
    assertThat(marked("회의", "서울에서 회의가 있습니다")).containsExactly("회의");
    assertIndexed("회의", "서울에서 회의가 있습니다");
  }

  @Test
  void mixedScriptQueriesMatchMixedScriptText() {
    assertThat(marked("zoom 会议", "明天的Zoom会议取消了")).containsExactly("Zoom", "会议");
    assertIndexed("zoom 会议", "明天的Zoom会议取消了");
  }

  @Test
  void aQuotedPhraseNeedsItsWordsInARow() {
    SearchQuery phrase = q("\"new york\"");
    assertThat(phrase.phrase()).isTrue();
    assertThat(phrase.terms()).allMatch(t -> !t.prefix());
    assertThat(marked("\"new york\"", "Flying to New York, again")).containsExactly("New York");
    assertThat(marked("\"new york\"", "York has a new bridge")).isNull();
    assertThat(marked("new york", "York has a new bridge")).containsExactly("York", "new");
  }

  @Test
  void aPhraseMayStartAndEndInsideCjkRuns() {
    assertThat(marked("\"北京 meeting\"", "明天去北京 meeting 吧")).containsExactly("北京 meeting");
    assertThat(marked("\"北京 meeting\"", "北京的 meeting")).isNull();
  }

  @Test
  void matchesAreMarkedOnTheOriginalTextEvenWhenFoldingChangesLength() {
    assertThat(marked("strasse", "Die Hauptstraße ist lang, die Straße auch"))
        .containsExactly("Straße");
    assertThat(marked("etait", "Ça e\u0301tait")).containsExactly("e\u0301tait");
  }
}
