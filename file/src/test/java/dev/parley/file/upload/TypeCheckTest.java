package dev.parley.file.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Content sniffing and the rule that a declared type must not be contradicted by the bytes. */
class TypeCheckTest {
  static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) out[i] = (byte) b[i];
    return out;
  }

  @Test
  void recognizesTheCommonTypesByTheirFirstBytes() {
    assertThat(TypeSniffer.sniff(bytes(0xFF, 0xD8, 0xFF, 0xE0))).contains("image/jpeg");
    assertThat(TypeSniffer.sniff(bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)))
        .contains("image/png");
    assertThat(TypeSniffer.sniff("GIF89a....".getBytes())).contains("image/gif");
    assertThat(TypeSniffer.sniff("RIFF\0\0\0\0WEBPVP8 ".getBytes())).contains("image/webp");
    assertThat(TypeSniffer.sniff("\0\0\0\u0018ftypheic".getBytes())).contains("image/heic");
    assertThat(TypeSniffer.sniff("\0\0\0\u0018ftypisom".getBytes())).contains("video/mp4");
    assertThat(TypeSniffer.sniff("%PDF-1.7".getBytes())).contains("application/pdf");
    assertThat(TypeSniffer.sniff(bytes('P', 'K', 3, 4))).contains("application/zip");
    assertThat(TypeSniffer.sniff(bytes(0x7F, 'E', 'L', 'F'))).contains("application/x-executable");
    assertThat(TypeSniffer.sniff("MZ\u0090\0".getBytes()))
        .contains("application/vnd.microsoft.portable-executable");
    assertThat(TypeSniffer.sniff("hello, world".getBytes())).isEmpty();
    assertThat(TypeSniffer.sniff(new byte[0])).isEmpty();
  }

  @Test
  void aLieIsRefusedAndFamiliesAreAccepted() {
    assertThat(TypeCheck.problem("image/png", Optional.of("image/jpeg"))).isPresent();
    assertThat(TypeCheck.problem("image/png", Optional.of("application/x-executable"))).isPresent();
    assertThat(TypeCheck.problem("text/plain", Optional.of("application/x-executable")))
        .isPresent();
    // A type we can recognize but did not.
    assertThat(TypeCheck.problem("image/png", Optional.empty())).isPresent();
    assertThat(TypeCheck.problem("application/pdf", Optional.empty())).isPresent();

    assertThat(TypeCheck.problem("image/png", Optional.of("image/png"))).isEmpty();
    assertThat(TypeCheck.problem("text/plain", Optional.empty())).isEmpty();
    assertThat(
            TypeCheck.problem("application/octet-stream", Optional.of("application/x-executable")))
        .isEmpty();
    assertThat(
            TypeCheck.problem(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                Optional.of("application/zip")))
        .isEmpty();
    assertThat(TypeCheck.problem("audio/mp4", Optional.of("video/mp4"))).isEmpty();
    assertThat(TypeCheck.problem("image/heif", Optional.of("image/heic"))).isEmpty();
  }
}
