package dev.parley.msg.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.msg.search.SearchQuery.Range;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnippetTest {

  private static List<String> marked(Snippet s) {
    return s.marks().stream().map(r -> s.text().substring(r.start(), r.end())).toList();
  }

  @Test
  void aShortTextIsTheWholeSnippet() {
    Snippet s = Snippet.of("Meeting at 10", List.of(new Range(0, 7)));
    assertThat(s.text()).isEqualTo("Meeting at 10");
    assertThat(marked(s)).containsExactly("Meeting");
  }

  @Test
  void aLongTextIsCutAroundTheFirstMatchAndTheMarksMoveWithIt() {
    String text = "x".repeat(300) + " Beijing " + "y".repeat(300);
    int at = text.indexOf("Beijing");
    Snippet s = Snippet.of(text, List.of(new Range(at, at + 7)));
    assertThat(s.text()).startsWith("…").endsWith("…");
    assertThat(s.text().length()).isEqualTo(Snippet.WIDTH + 2);
    assertThat(marked(s)).containsExactly("Beijing");
  }

  @Test
  void aMatchNearTheEndKeepsAFullWindowAndMarksOutsideItAreDropped() {
    String text = "Beijing " + "z".repeat(300) + " Tokyo";
    int tokyo = text.indexOf("Tokyo");
    Snippet s = Snippet.of(text, List.of(new Range(0, 7), new Range(tokyo, tokyo + 5)));
    // Cut around the first match: the start, so Tokyo falls outside.
    assertThat(s.text()).startsWith("Beijing").endsWith("…");
    assertThat(marked(s)).containsExactly("Beijing");
    Snippet end = Snippet.of(text, List.of(new Range(tokyo, tokyo + 5)));
    assertThat(end.text()).startsWith("…").endsWith("Tokyo");
    assertThat(end.text().length()).isEqualTo(Snippet.WIDTH + 1);
    assertThat(marked(end)).containsExactly("Tokyo");
  }

  @Test
  void aCutNeverSplitsASurrogatePair() {
    String emoji = "🎉";
    // The odd "x" and "y" put both cut points on the second half of an emoji.
    String text = emoji.repeat(100) + "x北京y" + emoji.repeat(100);
    int at = text.indexOf("北京");
    Snippet s = Snippet.of(text, List.of(new Range(at, at + 2)));
    String body = s.text().substring(1, s.text().length() - 1);
    assertThat(Character.isLowSurrogate(body.charAt(0))).isFalse();
    assertThat(Character.isHighSurrogate(body.charAt(body.length() - 1))).isFalse();
    assertThat(marked(s)).containsExactly("北京");
  }
}
