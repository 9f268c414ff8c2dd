package dev.parley.msg.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SearchTokenizerTest {

  private static List<String> texts(String s) {
    return SearchTokenizer.segments(s).stream().map(Segment::toString).toList();
  }

  @Test
  void latinWordsAreLowerCasedAndSplitOnPunctuationAndSpaces() {
    assertThat(texts("Meeting, tomorrow! At 10:30 (room B2)"))
        .containsExactly(
            "word:meeting",
            "word:tomorrow",
            "word:at",
            "word:10",
            "word:30",
            "word:room",
            "word:b2");
  }

  @Test
  void diacriticsAndCaseFoldAwaySoGermanUmlautsMatchPlainLetters() {
    assertThat(texts("Müller GRÜẞE straße Ångström café"))
        .containsExactly(
            "word:muller", "word:grusse", "word:strasse", "word:angstrom", "word:cafe");
    // Decomposed input (e + combining acute) folds the same as the precomposed letter.
    assertThat(texts("cafe\u0301 Cafe\u0301s")).containsExactly("word:cafe", "word:cafes");
    assertThat(texts("ﬁne")).containsExactly("word:fine");
  }

  @Test
  void cjkRunsAreSegmentsOfTheirOwnAndSwitchingScriptSplits() {
    assertThat(texts("我们明天去北京开会")).containsExactly("cjk:我们明天去北京开会");
    assertThat(texts("去北京meeting吧")).containsExactly("cjk:去北京", "word:meeting", "cjk:吧");
    assertThat(texts("東京で会議があります")).containsExactly("cjk:東京で会議があります");
    assertThat(texts("서울에서 회의가 있습니다")).containsExactly("cjk:서울에서", "cjk:회의가", "cjk:있습니다");
    assertThat(texts("コーヒーを時々")).containsExactly("cjk:コーヒーを時々");
  }

  @Test
  void emojiAndSymbolsSeparateAndCarryNoTokens() {
    assertThat(texts("party🎉time 👍")).containsExactly("word:party", "word:time");
    assertThat(SearchTokenizer.indexTokens("🎉 👍 !!! ...")).isEmpty();
  }

  @Test
  void segmentsRememberWhereTheyCameFromInTheOriginal() {
    String text = "Hi Müller, 北京!";
    List<Segment> s = SearchTokenizer.segments(text);
    assertThat(text.substring(s.get(1).start(), s.get(1).end())).isEqualTo("Müller");
    assertThat(text.substring(s.get(2).start(), s.get(2).end())).isEqualTo("北京");
    // A folded form longer than the original (ß → ss) still maps back into the original.
    String strasse = "Straße";
    Segment one = SearchTokenizer.segments(strasse).get(0);
    assertThat(one.text()).isEqualTo("strasse");
    assertThat(one.end()).isEqualTo(strasse.length());
    assertThat(one.originAt(5)).isEqualTo(4);
  }

  @Test
  void shortWordsGiveTheWordAndItsPrefixesOfTwoThreeFourAndSix() {
    assertThat(SearchTokenizer.indexTokens("Meet"))
        .containsExactly("w:meet", "p:me", "p:mee", "p:meet");
    assertThat(SearchTokenizer.indexTokens("a")).containsExactly("w:a");
    // Five characters: no prefix of five (a typed five-letter prefix looks up four).
    assertThat(SearchTokenizer.indexTokens("lunch"))
        .containsExactly("w:lunch", "p:lu", "p:lun", "p:lunc");
    assertThat(SearchTokenizer.indexTokens("coming"))
        .containsExactly("w:coming", "p:co", "p:com", "p:comi", "p:coming");
  }

  @Test
  void longerWordsGiveTheirOwnTokenAndPrefixesOfTwoThreeFourAndSix() {
    assertThat(SearchTokenizer.indexTokens("internationalization"))
        .containsExactly("w:internationalization", "p:in", "p:int", "p:inte", "p:intern");
    assertThat(SearchTokenizer.wordLookup("internationalization"))
        .containsExactly("w:internationalization");
  }

  @Test
  void longerWordsWithADigitGiveTheirPrefixesAndTheirBucket() {
    // A 14-digit number (a phone or order number, a timestamp): no token unique to it unless its
    // first six digits are.
    List<String> tokens = List.copyOf(SearchTokenizer.indexTokens("34123456789012"));
    assertThat(tokens).hasSize(5).startsWith("p:34", "p:341", "p:3412", "p:341234");
    assertThat(tokens.get(4)).startsWith("h:");
    assertThat(SearchTokenizer.wordLookup("34123456789012"))
        .containsExactly("p:341234", tokens.get(4));
    assertThat(SearchTokenizer.indexTokens("order2024x")).doesNotContain("w:order2024x");
    // Up to six characters, a number is a word like any other.
    assertThat(SearchTokenizer.indexTokens("2024"))
        .containsExactly("w:2024", "p:20", "p:202", "p:2024");
  }

  @Test
  void bucketsSpreadNumbersThatDifferOnlyAtTheEnd() {
    Set<String> buckets = new HashSet<>();
    for (int n = 0; n < 10_000; n++) {
      List<String> lookup = SearchTokenizer.wordLookup("inv2024" + String.format("%06d", n));
      assertThat(lookup).hasSize(2).first().isEqualTo("p:inv202");
      buckets.add(lookup.get(1));
    }
    // 10,000 order numbers of one prefix over 4,096 buckets: as many buckets used as a uniform
    // spread would use (it leaves e^-2.44, about 9 %, empty: 3,740 used), so few numbers share one.
    assertThat(buckets.size()).isGreaterThan(3_600);
  }

  @Test
  void everyWordAndEveryTypedPrefixOfItLooksUpATokenItsIndexHolds() {
    // 𐐨 (Deseret) is a letter outside the basic plane: lengths count code points, not chars.
    for (String word :
        List.of(
            "a",
            "lunch",
            "coming",
            "meeting",
            "internationalization",
            "𐐨𐐨𐐨𐐨𐐨𐐨𐐨",
            "inv2024000017",
            "𐐨𐐨𐐨𐐨𐐨𐐨𐐨1")) {
      Set<String> indexed = SearchTokenizer.indexTokens(word);
      assertThat(indexed).as(word).containsAll(SearchTokenizer.wordLookup(word));
      int chars = word.codePointCount(0, word.length());
      for (int n = SearchTokenizer.MIN_PREFIX; n <= chars; n++) {
        String typed = word.substring(0, word.offsetByCodePoints(0, n));
        assertThat(indexed).as(typed).contains(SearchTokenizer.prefixLookup(typed));
      }
    }
    assertThat(SearchTokenizer.prefixLookup("lunch")).isEqualTo("p:lunc");
    assertThat(SearchTokenizer.prefixLookup("internat")).isEqualTo("p:intern");
  }

  @Test
  void asciiFoldsAsTheFullNormalizationDoes() {
    for (int cp = 0; cp < 0x80; cp++) {
      String s = new String(Character.toChars(cp));
      String slow = Normalizer.normalize(s, Normalizer.Form.NFKD).toLowerCase(Locale.ROOT);
      String expected = Character.isLetterOrDigit(cp) ? slow : "";
      assertThat(SearchTokenizer.fold(cp)).as("U+%04X", cp).isEqualTo(expected);
    }
  }

  @Test
  void cjkGivesEveryUnigramAndEveryOverlappingBigram() {
    assertThat(SearchTokenizer.indexTokens("北京开会"))
        .containsExactly("c:北", "c:北京", "c:京", "c:京开", "c:开", "c:开会", "c:会");
    assertThat(SearchTokenizer.indexTokens("회의")).containsExactly("c:회", "c:회의", "c:의");
  }

  @Test
  void charactersOutsideTheBasicPlaneStayWhole() {
    // 𠀋 is a Han character written as a surrogate pair.
    assertThat(SearchTokenizer.indexTokens("𠀋京")).containsExactly("c:𠀋", "c:𠀋京", "c:京");
  }

  @Test
  void mixedScriptTextIndexesBothKinds() {
    assertThat(SearchTokenizer.indexTokens("Zoom会议"))
        .contains("w:zoom", "p:zo", "c:会议", "c:会", "c:议");
  }
}
