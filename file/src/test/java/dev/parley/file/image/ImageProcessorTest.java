package dev.parley.file.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.GpsDirectory;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageProcessorTest {
  @TempDir Path dir;
  private ImageProcessor processor;

  @BeforeEach
  void start() {
    processor = ImageProcessor.start(config(50L << 20, true), dir, Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    processor.close();
  }

  static ImageConfig config(long maxInputBytes, boolean stripOriginal) {
    // 60 s: generous, two other engineers' builds share this 2-core machine.
    return config(maxInputBytes, stripOriginal, 2, 4, Duration.ofSeconds(60), "");
  }

  /** The defaults but for these. */
  static ImageConfig config(
      long maxInputBytes,
      boolean stripOriginal,
      int threads,
      int queue,
      Duration timeout,
      String vipsthumbnail) {
    ImageConfig d = ImageConfig.defaults();
    return new ImageConfig(
        maxInputBytes,
        d.maxPixels(),
        d.thumbnailSizes(),
        d.thumbnailQuality(),
        d.previewMaxBytes(),
        stripOriginal,
        threads,
        queue,
        timeout,
        vipsthumbnail);
  }

  @Test
  void jpegGetsBothSlotsAndItsDimensions() throws Exception {
    ImageResult r = process(TestImages.jpeg(TestImages.halves(2000, 1000, Color.RED, Color.BLUE)));

    assertThat(r.mimeType()).isEqualTo("image/jpeg");
    assertThat(r.width()).isEqualTo(2000);
    assertThat(r.height()).isEqualTo(1000);
    assertThat(r.animated()).isFalse();
    assertThat(r.note()).isEmpty();
    assertThat(r.thumbnails()).extracting(Thumbnail::slot).containsExactly(320, 1280);
    assertSize(r.thumbnails().get(0), 320, 160);
    assertSize(r.thumbnails().get(1), 1280, 640);
  }

  @Test
  void neverEnlarged_aSlotHoldingTheWholeImageIsTheLast() throws Exception {
    ImageResult small = process(TestImages.encode(solid(300, 200, Color.GREEN), "png"));
    assertThat(small.thumbnails()).hasSize(1);
    assertThat(small.thumbnails().get(0).slot()).isEqualTo(320);
    assertSize(small.thumbnails().get(0), 300, 200);

    ImageResult middle = process(TestImages.encode(solid(1000, 500, Color.GREEN), "png"));
    assertThat(middle.thumbnails()).extracting(Thumbnail::slot).containsExactly(320, 1280);
    assertSize(middle.thumbnails().get(0), 320, 160);
    assertSize(middle.thumbnails().get(1), 1000, 500);
  }

  @Test
  void orientation6_turnsClockwise_andNoGpsSurvives() throws Exception {
    byte[] photo =
        TestImages.withExif(TestImages.jpeg(TestImages.halves(200, 100, Color.RED, Color.BLUE)), 6);
    assertThat(
            ImageMetadataReader.readMetadata(new ByteArrayInputStream(photo))
                .getFirstDirectoryOfType(GpsDirectory.class))
        .as("the test photo carries GPS")
        .isNotNull();

    ImageResult r = process(photo);

    assertThat(r.width()).isEqualTo(100);
    assertThat(r.height()).isEqualTo(200);
    BufferedImage thumb = decode(r.thumbnails().get(0).jpeg());
    assertThat(thumb.getWidth()).isEqualTo(100);
    assertThat(thumb.getHeight()).isEqualTo(200);
    // Turned a quarter clockwise: the left (red) half is now on top.
    assertColor(thumb.getRGB(50, 20), Color.RED);
    assertColor(thumb.getRGB(50, 180), Color.BLUE);
    for (Thumbnail t : r.thumbnails()) assertNoExif(t.jpeg());
    assertNoExif(r.preview());
  }

  @Test
  void orientation8_turnsCounterClockwise() throws Exception {
    byte[] photo =
        TestImages.withExif(TestImages.jpeg(TestImages.halves(200, 100, Color.RED, Color.BLUE)), 8);

    ImageResult r = process(photo);

    assertThat(r.width()).isEqualTo(100);
    assertThat(r.height()).isEqualTo(200);
    BufferedImage thumb = decode(r.thumbnails().get(0).jpeg());
    assertColor(thumb.getRGB(50, 20), Color.BLUE);
    assertColor(thumb.getRGB(50, 180), Color.RED);
  }

  @Test
  void strippedOriginal_losesGpsKeepsOrientationAndEveryPixel() throws Exception {
    byte[] photo =
        TestImages.withExif(TestImages.jpeg(TestImages.halves(640, 480, Color.RED, Color.BLUE)), 6);

    ImageResult r = process(photo);

    assertThat(r.strippedOriginal()).isNotNull();
    byte[] stripped = Files.readAllBytes(r.strippedOriginal());
    Metadata metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(stripped));
    assertThat(metadata.getFirstDirectoryOfType(GpsDirectory.class)).isNull();
    assertThat(
            metadata
                .getFirstDirectoryOfType(ExifIFD0Directory.class)
                .getInteger(ExifIFD0Directory.TAG_ORIENTATION))
        .isEqualTo(6);
    BufferedImage before = decode(photo);
    BufferedImage after = decode(stripped);
    assertThat(pixels(after)).isEqualTo(pixels(before));
  }

  @Test
  void withoutMetadata_noStrippedCopy_andNoneWhenDisabled() throws Exception {
    byte[] plain = TestImages.jpeg(solid(64, 64, Color.GRAY));
    assertThat(process(plain).strippedOriginal()).isNull();

    byte[] photo = TestImages.withExif(plain, 1);
    try (ImageProcessor keep =
        ImageProcessor.start(config(1 << 20, false), dir, Clock.systemUTC())) {
      assertThat(keep.process(write(photo)).strippedOriginal()).isNull();
    }
  }

  @Test
  void pngWithText_strippedCopyWithoutIt_samePixels() throws Exception {
    byte[] plain = TestImages.encode(TestImages.halves(64, 48, Color.RED, Color.BLUE), "png");
    byte[] tagged =
        PngChunksTest.insertAfterIhdr(plain, PngChunksTest.chunk("tEXt", "Location\0Paris"));

    ImageResult r = process(tagged);

    assertThat(r.strippedOriginal()).isNotNull();
    byte[] stripped = Files.readAllBytes(r.strippedOriginal());
    assertThat(stripped).isEqualTo(plain);
    assertThat(process(plain).strippedOriginal()).isNull();
  }

  @Test
  void pngWithAlpha_transparentPartsBecomeWhiteNotBlack() throws Exception {
    BufferedImage image = new BufferedImage(400, 400, BufferedImage.TYPE_INT_ARGB); // transparent
    var g = image.createGraphics();
    g.setColor(Color.RED);
    g.fillRect(100, 100, 200, 200);
    g.dispose();

    ImageResult r = process(TestImages.encode(image, "png"));

    assertThat(r.mimeType()).isEqualTo("image/png");
    BufferedImage thumb = decode(r.thumbnails().get(0).jpeg());
    assertColor(thumb.getRGB(5, 5), Color.WHITE);
    assertColor(thumb.getRGB(160, 160), Color.RED);
    BufferedImage preview = decode(r.preview());
    assertColor(preview.getRGB(1, 1), Color.WHITE);
  }

  @Test
  void gif_animatedFlag_andTheFirstFrameInThumbnails() throws Exception {
    ImageResult animated =
        process(TestImages.gif(solid(120, 80, Color.RED), solid(120, 80, Color.BLUE)));
    assertThat(animated.mimeType()).isEqualTo("image/gif");
    assertThat(animated.animated()).isTrue();
    assertThat(animated.width()).isEqualTo(120);
    assertThat(animated.height()).isEqualTo(80);
    assertColor(decode(animated.thumbnails().get(0).jpeg()).getRGB(60, 40), Color.RED);

    assertThat(process(TestImages.gif(solid(120, 80, Color.RED))).animated()).isFalse();
  }

  @Test
  void progressiveAndCmykJpegs() throws Exception {
    ImageResult progressive =
        process(TestImages.jpeg(TestImages.halves(800, 600, Color.RED, Color.BLUE), true));
    assertThat(progressive.width()).isEqualTo(800);
    assertColor(decode(progressive.thumbnails().get(0).jpeg()).getRGB(40, 100), Color.RED);

    // The JDK's own JPEG reader refuses CMYK ("Unsupported Image Type"); TwelveMonkeys' reads it.
    ImageResult cmyk = process(TestImages.cmykJpeg(400, 300));
    assertThat(cmyk.mimeType()).isEqualTo("image/jpeg");
    assertThat(cmyk.width()).isEqualTo(400);
    assertThat(cmyk.height()).isEqualTo(300);
    assertSize(cmyk.thumbnails().get(0), 320, 240);
  }

  @Test
  void webp_stillAndAnimated() throws Exception {
    ImageResult still = process(resource("still.webp"));
    assertThat(still.mimeType()).isEqualTo("image/webp");
    assertThat(still.width()).isEqualTo(64);
    assertThat(still.height()).isEqualTo(48);
    assertThat(still.animated()).isFalse();
    assertColor(decode(still.thumbnails().get(0).jpeg()).getRGB(32, 24), Color.RED);

    ImageResult animated = process(resource("animated.webp"));
    assertThat(animated.animated()).isTrue();
    assertThat(animated.thumbnails()).isNotEmpty();
  }

  @Test
  void bombRefusedFromTheHeader_beforeDecoding() {
    // 100,000 × 100,000 claimed by 45 bytes with no pixel data: decoding would fail as malformed,
    // the pixel limit answers first.
    assertFailure(
        TestImages.pngHeaderOnly(100_000, 100_000), ImageException.Failure.TOO_MANY_PIXELS);
    byte[] jpegBomb =
        TestImages.jpegClaiming(TestImages.jpeg(solid(16, 16, Color.GRAY)), 60_000, 60_000);
    assertFailure(jpegBomb, ImageException.Failure.TOO_MANY_PIXELS);
  }

  @Test
  void truncatedImages_clearError() {
    byte[] png = TestImages.encode(noise(300, 300), "png");
    assertFailure(Arrays.copyOf(png, png.length / 2), ImageException.Failure.MALFORMED);
    byte[] jpeg = TestImages.jpeg(noise(300, 300));
    assertFailure(Arrays.copyOf(jpeg, jpeg.length / 2), ImageException.Failure.MALFORMED);
    byte[] gif = TestImages.gif(noise(300, 300));
    assertFailure(Arrays.copyOf(gif, gif.length / 2), ImageException.Failure.MALFORMED);
    assertFailure(Arrays.copyOf(png, 20), ImageException.Failure.MALFORMED);
  }

  @Test
  void notAnImageWeKnow_unsupportedWithoutThumbnails() throws Exception {
    ImageResult text =
        process("just some text, not a picture".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(text.note()).isEqualTo(ImageResult.UNSUPPORTED);
    assertThat(text.mimeType()).isEmpty();
    assertThat(text.thumbnails()).isEmpty();
    assertThat(text.preview()).isEmpty();

    ImageResult bmp = process(TestImages.encode(solid(10, 10, Color.RED), "bmp"));
    assertThat(bmp.note()).isEqualTo(ImageResult.UNSUPPORTED);
  }

  @Test
  void previewStaysWithinItsBound_evenForNoise() throws Exception {
    for (BufferedImage image :
        List.of(
            noise(2000, 1500),
            noise(100, 4000),
            TestImages.halves(3000, 2000, Color.RED, Color.BLUE))) {
      ImageResult r = process(TestImages.jpeg(image));
      assertThat(r.preview().length).isBetween(1, ImageConfig.defaults().previewMaxBytes());
      BufferedImage preview = decode(r.preview());
      assertThat(Math.max(preview.getWidth(), preview.getHeight()))
          .isLessThanOrEqualTo(InlinePreview.MAX_SIDE);
      assertNoExif(r.preview());
    }
  }

  @Test
  void tooManyBytes_refusedBeforeReading() throws Exception {
    byte[] jpeg = TestImages.jpeg(noise(200, 200));
    try (ImageProcessor small = ImageProcessor.start(config(1000, true), dir, Clock.systemUTC())) {
      Path file = write(jpeg);
      assertThatThrownBy(() -> small.process(file))
          .isInstanceOfSatisfying(
              ImageException.class,
              e -> assertThat(e.failure()).isEqualTo(ImageException.Failure.TOO_LARGE));
      assertThatThrownBy(() -> small.process(new ByteArrayInputStream(jpeg)))
          .isInstanceOfSatisfying(
              ImageException.class,
              e -> assertThat(e.failure()).isEqualTo(ImageException.Failure.TOO_LARGE));
    }
  }

  @Test
  void fromAStream_sameResult_andTheTemporaryCopyIsGone() throws Exception {
    byte[] jpeg = TestImages.jpeg(TestImages.halves(640, 480, Color.RED, Color.BLUE));

    ImageResult r = processor.process(new ByteArrayInputStream(jpeg));

    assertThat(r.width()).isEqualTo(640);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith("parley-image-"));
    }
  }

  @Test
  void timeLimit_callerAnsweredAtOnce_nothingLeftBehind() throws Exception {
    byte[] photo = TestImages.withExif(TestImages.jpeg(noise(3000, 2000)), 6);
    Path original = write(photo);
    try (ImageProcessor hurried =
        ImageProcessor.start(
            config(50L << 20, true, 1, 1, Duration.ofMillis(1), ""), dir, Clock.systemUTC())) {
      // 1 ms: never enough; whether the job had started or not, the caller is answered at once.
      assertThatThrownBy(() -> hurried.process(original))
          .isInstanceOfSatisfying(
              ImageException.class,
              e ->
                  assertThat(e.failure())
                      .isIn(ImageException.Failure.TIMED_OUT, ImageException.Failure.BUSY));
      // The abandoned job stops at its next check and deletes its stripped copy, if it made one.
      // (That its permit comes back is ImagePoolTest's business.)
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                try (var files = Files.list(dir)) {
                  return files.noneMatch(f -> f.getFileName().toString().startsWith("parley-"));
                }
              });
    }
  }

  // --- helpers ---

  private ImageResult process(byte[] bytes) throws Exception {
    return processor.process(write(bytes));
  }

  private Path write(byte[] bytes) throws Exception {
    return Files.write(Files.createTempFile(dir, "original-", ".bin"), bytes);
  }

  private void assertFailure(byte[] bytes, ImageException.Failure failure) {
    assertThatThrownBy(() -> process(bytes))
        .isInstanceOfSatisfying(
            ImageException.class, e -> assertThat(e.failure()).isEqualTo(failure));
  }

  static byte[] resource(String name) throws Exception {
    try (var in = ImageProcessorTest.class.getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException("no test resource " + name);
      return in.readAllBytes();
    }
  }

  static BufferedImage decode(byte[] jpeg) throws Exception {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
    assertThat(image).as("decodable").isNotNull();
    return image;
  }

  private static void assertSize(Thumbnail t, int width, int height) throws Exception {
    assertThat(t.width()).isEqualTo(width);
    assertThat(t.height()).isEqualTo(height);
    BufferedImage image = decode(t.jpeg());
    assertThat(image.getWidth()).isEqualTo(width);
    assertThat(image.getHeight()).isEqualTo(height);
  }

  static void assertNoExif(byte[] jpeg) throws Exception {
    Metadata metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(jpeg));
    assertThat(metadata.getFirstDirectoryOfType(GpsDirectory.class)).isNull();
    assertThat(metadata.getFirstDirectoryOfType(ExifIFD0Directory.class)).isNull();
  }

  static void assertColor(int rgb, Color expected) {
    Color actual = new Color(rgb);
    assertThat(Math.abs(actual.getRed() - expected.getRed()))
        .as("red of %s", actual)
        .isLessThan(48);
    assertThat(Math.abs(actual.getGreen() - expected.getGreen()))
        .as("green of %s", actual)
        .isLessThan(48);
    assertThat(Math.abs(actual.getBlue() - expected.getBlue()))
        .as("blue of %s", actual)
        .isLessThan(48);
  }

  static BufferedImage solid(int width, int height, Color color) {
    return TestImages.filled(width, height, BufferedImage.TYPE_INT_RGB, color);
  }

  static BufferedImage noise(int width, int height) {
    Random random = new Random(42);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) image.setRGB(x, y, random.nextInt(0x1000000));
    }
    return image;
  }

  private static int[] pixels(BufferedImage image) {
    return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
  }
}
