package dev.parley.file.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The figure in docs/design.md "Image processing": a 12-megapixel (4000 × 3000) photo-like JPEG of
 * about 1 MB, processed end to end with the default configuration, one image at a time. Logged, not
 * asserted as a bound (other builds share the machine); asserted: the input is what it claims and
 * the output is complete.
 */
class ProcessingTimeTest {
  private static final Logger log = LoggerFactory.getLogger(ProcessingTimeTest.class);

  @TempDir Path dir;

  @Test
  void twelveMegapixelJpegOfAboutOneMegabyte() throws Exception {
    byte[] jpeg = photoLike(4000, 3000);
    assertThat(jpeg.length).isBetween(700_000, 1_400_000);
    Path file = Files.write(dir.resolve("photo.jpg"), jpeg);
    ImageConfig d = ImageConfig.defaults();
    ImageConfig config =
        ImageProcessorTest.config(
            d.maxInputBytes(), d.stripOriginal(), 1, 0, Duration.ofMinutes(2), "");
    try (ImageProcessor processor = ImageProcessor.start(config, dir, Clock.systemUTC())) {
      processor.process(file); // warm-up: class loading, JIT
      List<Long> millis = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        long start = System.nanoTime();
        ImageResult r = processor.process(file);
        millis.add((System.nanoTime() - start) / 1_000_000);
        assertThat(r.width()).isEqualTo(4000);
        assertThat(r.thumbnails()).extracting(Thumbnail::width).containsExactly(320, 1280);
        assertThat(r.preview()).isNotEmpty();
      }
      // Where the time goes: decoding the first frame alone, same file, same thread count.
      List<Long> decodeMillis = new ArrayList<>();
      ImageSource source = new ImageSource.FileSource(file);
      for (int i = 0; i < 5; i++) {
        long start = System.nanoTime();
        ImageHeader header =
            HeaderReader.read(source, ImageFormat.JPEG, new byte[0], config.maxPixels());
        FirstFrameDecoder.decode(source, header, config.largestSize(), new AbortSignal());
        decodeMillis.add((System.nanoTime() - start) / 1_000_000);
      }
      Collections.sort(decodeMillis);
      Collections.sort(millis);
      log.info(
          "12 MP JPEG of {} bytes on {} cores: median {} ms, min {} ms, max {} ms (runs {});"
              + " header + decode alone: median {} ms (runs {})",
          jpeg.length,
          Runtime.getRuntime().availableProcessors(),
          millis.get(2),
          millis.get(0),
          millis.get(4),
          millis,
          decodeMillis.get(2),
          decodeMillis);
    }
  }

  /** Smooth gradients with a little grain: compresses like a photo, not like noise or flat fill. */
  private static byte[] photoLike(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(7);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int grain = random.nextInt(11) - 5;
        int r = clamp(x * 255 / width + grain);
        int g = clamp(y * 255 / height + grain);
        int b = clamp((x + y) * 255 / (width + height) + 60 * ((x / 400 + y / 300) % 2) + grain);
        image.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    byte[] best = new byte[0];
    for (double quality : new double[] {0.95, 0.93, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3}) {
      best = JpegEncoder.encode(image, quality, false);
      if (best.length <= 1_250_000) break;
    }
    return best;
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}
