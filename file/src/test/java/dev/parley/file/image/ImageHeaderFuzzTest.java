package dev.parley.file.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of what uploaded bytes meet first: format sniffing, the header reader
 * (dimensions, pixel limit, EXIF orientation, animation), the JPEG segment and PNG chunk walkers,
 * and the first frame decoder behind them.
 *
 * <p>Input: the bytes of an "uploaded file" (seeds: tiny JPEG, PNG, GIF, WebP files in
 * ImageHeaderFuzzTestInputs/headers/). Properties: every step either succeeds or throws {@link
 * ImageException}, nothing else; a header that passes never claims more than the pixel limit, and
 * the decoder never produces more pixels than the header allowed.
 */
class ImageHeaderFuzzTest {
  private static final long MAX_PIXELS = 1 << 16;

  @FuzzTest(maxDuration = "20s")
  void headers(byte[] input) throws IOException {
    byte[] head = Arrays.copyOf(input, Math.min(input.length, ImageFormat.SNIFF_BYTES));
    ImageFormat format = ImageFormat.sniff(head);
    if (format == null || format == ImageFormat.HEIF) return; // HEIF goes to vips, not Java
    ImageSource source = new ImageSource.BytesSource(input);
    ImageHeader header;
    try {
      header = HeaderReader.read(source, format, head, MAX_PIXELS);
    } catch (ImageException e) {
      return;
    }
    assertThat(header.pixels()).isBetween(1L, MAX_PIXELS);
    assertThat(header.orientation()).isBetween(1, 8);
    try {
      if (format == ImageFormat.JPEG) {
        JpegSegments.copyWithoutMetadata(
            new ByteArrayInputStream(input), OutputStream.nullOutputStream(), header.orientation());
      } else if (format == ImageFormat.PNG) {
        PngChunks.copyWithoutMetadata(
            new ByteArrayInputStream(input), OutputStream.nullOutputStream());
      }
      BufferedImage image = FirstFrameDecoder.decode(source, header, 64, new AbortSignal());
      assertThat((long) image.getWidth() * image.getHeight()).isLessThanOrEqualTo(MAX_PIXELS);
    } catch (ImageException e) {
      // refused with our error: fine
    }
  }
}
