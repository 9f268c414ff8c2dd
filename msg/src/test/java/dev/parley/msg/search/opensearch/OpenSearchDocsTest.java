package dev.parley.msg.search.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.msg.search.IndexChange;
import dev.parley.msg.store.EntryKind;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenSearchDocsTest {
  @Test
  void theTextSentToOpenSearchIsTheTokenizersSegments_foldedAndSeparatedBySpaces() {
    assertThat(OpenSearchDocs.segmented("Herr Müller, don't! 我们去北京🙂OK example.com"))
        .isEqualTo("herr muller don t 我们去北京 ok example com");
    assertThat(OpenSearchDocs.segmented("明天的Zoom会议")).isEqualTo("明天的 zoom 会议");
    assertThat(OpenSearchDocs.segmented("🙂 …")).isEmpty();
  }

  @Test
  void sendTimesKeepTheLogsMicroseconds() {
    Instant t = Instant.parse("2026-12-06T21:24:00.123456Z");
    assertThat(OpenSearchDocs.micros(t)).isEqualTo(1_796_592_240_123_456L);
    assertThat(OpenSearchDocs.instant(OpenSearchDocs.micros(t))).isEqualTo(t);
    Instant before1970 = Instant.parse("1969-12-31T23:59:59.999999Z");
    assertThat(OpenSearchDocs.instant(OpenSearchDocs.micros(before1970))).isEqualTo(before1970);
  }

  @Test
  void aDocumentCarriesTheFieldsOfTheMapping() {
    Map<String, Object> doc =
        OpenSearchDocs.document(
            new IndexChange.Put(
                7, 42, 9, Instant.ofEpochSecond(1, 5_000), EntryKind.IMAGE, true, "Ünïcode"));
    assertThat(doc)
        .containsExactly(
            Map.entry("conversation_id", 7L),
            Map.entry("seq", 42L),
            Map.entry("sender_id", 9L),
            Map.entry("sent_at_us", 1_000_005L),
            Map.entry("kind", EntryKind.IMAGE.code),
            Map.entry("has_link", true),
            Map.entry("text", "unicode"));
    assertThat(OpenSearchDocs.id(7, 42)).isEqualTo("7/42");
  }
}
