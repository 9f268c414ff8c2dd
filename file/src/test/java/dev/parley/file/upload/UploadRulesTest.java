package dev.parley.file.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.common.error.ParleyException;
import org.junit.jupiter.api.Test;

/** What create_upload accepts, and the Content-Disposition of downloads. */
class UploadRulesTest {
  final UploadRules rules = new UploadRules(FileHarness.config());

  @Test
  void mimeTypesAreNormalizedAndCheckedAgainstTheAllowedList() {
    assertThat(rules.mimeType(" Image/PNG ")).isEqualTo("image/png");
    assertThatThrownBy(() -> rules.mimeType("image")).isInstanceOf(ParleyException.class);
    assertThatThrownBy(() -> rules.mimeType("text/plain; charset=utf-8"))
        .isInstanceOf(ParleyException.class);
    assertThatThrownBy(() -> rules.mimeType("application/x-sh"))
        .isInstanceOf(ParleyException.class)
        .hasMessageContaining("does not accept");
  }

  @Test
  void namesKeepTheirCharactersButNoPathsOrInvisibleTricks() {
    assertThat(UploadRules.name("Überweisung März 2026 (final).pdf"))
        .isEqualTo("Überweisung März 2026 (final).pdf");
    assertThat(UploadRules.name("照片.jpg")).isEqualTo("照片.jpg");
    assertThat(UploadRules.name("😀".repeat(255))).hasSize(510);
    assertThat(UploadRules.name("👨\u200D👩\u200D👧.png")).contains("\u200D");
    for (String bad : new String[] {"", " ", ".", "..", "a/b", "a\\b", "a\nb", "gpj\u202E.exe"}) {
      assertThatThrownBy(() -> UploadRules.name(bad)).as(bad).isInstanceOf(ParleyException.class);
    }
  }

  @Test
  void theHashIsThirtyTwoBytesInOneOfTwoForms() {
    assertThat(UploadRules.sha256(new byte[32], "")).hasSize(32);
    assertThat(UploadRules.sha256(new byte[0], "ab".repeat(32))).hasSize(32);
    assertThatThrownBy(() -> UploadRules.sha256(new byte[32], "ab".repeat(32)))
        .isInstanceOf(ParleyException.class);
    assertThatThrownBy(() -> UploadRules.sha256(new byte[0], "zz".repeat(32)))
        .isInstanceOf(ParleyException.class);
    assertThatThrownBy(() -> UploadRules.sha256(new byte[31], ""))
        .isInstanceOf(ParleyException.class);
  }

  @Test
  void downloadsNameTheFileSafely() {
    assertThat(UploadManager.contentDisposition("a \"b\".txt"))
        .isEqualTo("attachment; filename=\"a _b_.txt\"; filename*=UTF-8''a%20%22b%22.txt");
    assertThat(UploadManager.contentDisposition("照片.jpg"))
        .isEqualTo("attachment; filename=\"__.jpg\"; filename*=UTF-8''%E7%85%A7%E7%89%87.jpg");
  }
}
