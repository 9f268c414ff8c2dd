package dev.parley.file.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HEIC/HEIF: vipsthumbnail detected (or not) from the configured path, and a HEIC thumbnailed when
 * the machine has it. Detection is tested both ways on every machine; the decoding test needs the
 * binary (Debian libvips-tools) and says so when it is missing.
 */
class HeifTest {
  private static final Logger log = LoggerFactory.getLogger(HeifTest.class);

  @TempDir Path dir;

  @Test
  void detection_missingOrEmptyPathMeansNoHeif() throws Exception {
    assertThat(
            VipsThumbnailer.detect(
                dir.resolve("no-such-vipsthumbnail").toString(), Duration.ofSeconds(10)))
        .isEmpty();
    assertThat(VipsThumbnailer.detect("", Duration.ofSeconds(10))).isEmpty();
    // A program that exists but is not vipsthumbnail (exits non-zero on --vips-version).
    assertThat(VipsThumbnailer.detect("false", Duration.ofSeconds(10))).isEmpty();
  }

  @Test
  void detection_findsTheInstalledBinary_exactlyWhenItIsOnThePath() {
    boolean installed = onPath("vipsthumbnail") && onPath("vipsheader");
    assertThat(VipsThumbnailer.detect("vipsthumbnail", Duration.ofSeconds(30)).isPresent())
        .isEqualTo(installed);
  }

  @Test
  void withoutVips_heicIsStoredWithoutThumbnails_andSaysSo() throws Exception {
    try (ImageProcessor processor = processor("")) {
      assertThat(processor.decodesHeif()).isFalse();
      ImageResult r =
          processor.process(
              Files.write(dir.resolve("photo"), ImageProcessorTest.resource("photo.heic")));
      assertThat(r.mimeType()).isEqualTo("image/heic");
      assertThat(r.note()).isEqualTo(ImageResult.UNSUPPORTED);
      assertThat(r.thumbnails()).isEmpty();
    }
  }

  @Test
  void withVips_heicGetsThumbnailsAndPreview() throws Exception {
    boolean installed = onPath("vipsthumbnail") && onPath("vipsheader");
    if (!installed) log.warn("vipsthumbnail/vipsheader not on PATH: HEIC decoding not tested here");
    assumeTrue(installed, "needs vipsthumbnail (Debian libvips-tools) on PATH");
    try (ImageProcessor processor = processor("vipsthumbnail")) {
      assertThat(processor.decodesHeif()).isTrue();
      ImageResult r =
          processor.process(
              Files.write(
                  dir.resolve("photo [1].heic"), ImageProcessorTest.resource("photo.heic")));
      assertThat(r.mimeType()).isEqualTo("image/heic");
      assertThat(r.note()).isEmpty();
      assertThat(r.width()).isEqualTo(480);
      assertThat(r.height()).isEqualTo(360);
      assertThat(r.thumbnails()).extracting(Thumbnail::slot).containsExactly(320, 1280);
      assertThat(r.thumbnails().get(0).width()).isEqualTo(320);
      assertThat(r.thumbnails().get(1).width()).isEqualTo(480);
      ImageProcessorTest.assertColor(
          ImageProcessorTest.decode(r.thumbnails().get(0).jpeg()).getRGB(40, 120),
          java.awt.Color.RED);
      assertThat(r.preview()).isNotEmpty();
      for (Thumbnail t : r.thumbnails()) ImageProcessorTest.assertNoExif(t.jpeg());
    }
  }

  private ImageProcessor processor(String vips) {
    return ImageProcessor.start(
        ImageProcessorTest.config(50L << 20, true, 2, 4, Duration.ofSeconds(60), vips),
        dir,
        Clock.systemUTC());
  }

  private static boolean onPath(String name) {
    for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator, -1)) {
      if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, name))) return true;
    }
    return false;
  }
}
