package dev.parley.file.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeftoverWorkFilesTest {
  private static final Instant NOW = Instant.parse("2026-12-06T08:00:00Z");

  @TempDir Path dir;

  @Test
  void removesOurOldWorkFilesAndDirectories_keepsRecentOnesAndOthers() throws Exception {
    Path oldCopy = file("parley-image-1.bin", NOW.minusSeconds(7200));
    Path oldStripped = file("parley-stripped-2.jpeg", NOW.minusSeconds(3700));
    Path oldVips = Files.createDirectory(dir.resolve("parley-vips-3"));
    Files.writeString(oldVips.resolve("in.heic"), "x");
    Files.setLastModifiedTime(oldVips, FileTime.from(NOW.minusSeconds(86_400)));
    Path recent = file("parley-image-4.bin", NOW.minusSeconds(60));
    Path someoneElses = file("notes.txt", NOW.minusSeconds(86_400));

    int removed = LeftoverWorkFiles.sweep(dir, NOW);

    assertThat(removed).isEqualTo(3);
    assertThat(oldCopy).doesNotExist();
    assertThat(oldStripped).doesNotExist();
    assertThat(oldVips).doesNotExist();
    assertThat(recent).exists();
    assertThat(someoneElses).exists();
  }

  @Test
  void aMissingDirectoryIsNotAnError() {
    assertThat(LeftoverWorkFiles.sweep(dir.resolve("absent"), NOW)).isZero();
  }

  private Path file(String name, Instant modified) throws Exception {
    Path p = Files.writeString(dir.resolve(name), "work");
    Files.setLastModifiedTime(p, FileTime.from(modified));
    return p;
  }
}
