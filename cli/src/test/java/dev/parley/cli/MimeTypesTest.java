package dev.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MimeTypesTest {
  @TempDir Path dir;

  private Path file(String name, int... head) throws IOException {
    byte[] bytes = new byte[head.length];
    for (int i = 0; i < head.length; i++) bytes[i] = (byte) head[i];
    return Files.write(dir.resolve(name), bytes);
  }

  private Path file(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.ISO_8859_1);
  }

  @Test
  void theFirstBytesWinOverTheExtension() throws IOException {
    assertThat(MimeTypes.of(file("photo.png", 0xFF, 0xD8, 0xFF, 0))).isEqualTo("image/jpeg");
    assertThat(MimeTypes.of(file("x.bin", 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0)))
        .isEqualTo("image/png");
    assertThat(MimeTypes.of(file("anim", "GIF89a..."))).isEqualTo("image/gif");
    assertThat(MimeTypes.of(file("w", "RIFF\0\0\0\0WEBPVP8 "))).isEqualTo("image/webp");
    assertThat(MimeTypes.of(file("i", "\0\0\0\u0018ftypheic"))).isEqualTo("image/heic");
    assertThat(MimeTypes.of(file("doc.txt", "%PDF-1.7"))).isEqualTo("application/pdf");
  }

  @Test
  void otherwiseTheExtensionThenOctetStream() throws IOException {
    assertThat(MimeTypes.of(file("notes.TXT", "hello"))).isEqualTo("text/plain");
    assertThat(MimeTypes.of(file("report.docx", 'P', 'K', 3, 4)))
        .isEqualTo("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    assertThat(MimeTypes.of(file("photo.jpg", "not a jpeg")))
        .isEqualTo("image/jpeg"); // the server refuses it by content: TYPE_MISMATCH
    assertThat(MimeTypes.of(file("archive.tar.zst", 1, 2, 3)))
        .isEqualTo("application/octet-stream");
    assertThat(MimeTypes.of(file("empty"))).isEqualTo("application/octet-stream");
  }
}
