package dev.parley.file.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.GpsDirectory;
import java.awt.Color;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JpegSegmentsTest {
  private final byte[] plain = TestImages.jpeg(TestImages.halves(64, 48, Color.RED, Color.BLUE));

  @Test
  void removesExifCommentsAndTrailingData_keepsIccAdobeAndScan() throws Exception {
    byte[] icc = segment(0xe2, "ICC_PROFILE\0\1\1profile-bytes");
    byte[] adobe = segment(0xee, "Adobe\0\144\0\0\0\0\1");
    byte[] comment = segment(0xfe, "taken at home");
    byte[] xmp = segment(0xe1, "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>");
    byte[] trailing = TestImages.withExif(plain, 3); // a second picture after EOI, as phones append
    byte[] original =
        concat(
            TestImages.withExif(insertAfterSoi(plain, concat(icc, adobe, comment, xmp)), 1),
            trailing);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int removed = JpegSegments.copyWithoutMetadata(new ByteArrayInputStream(original), out, 1);

    byte[] stripped = out.toByteArray();
    assertThat(removed).isEqualTo(4); // EXIF, comment, XMP, and the trailing picture
    assertThat(indexOf(stripped, icc)).isPositive();
    assertThat(indexOf(stripped, adobe)).isPositive();
    assertThat(indexOf(stripped, "taken at home".getBytes(StandardCharsets.US_ASCII))).isNegative();
    assertThat(indexOf(stripped, "Exif".getBytes(StandardCharsets.US_ASCII))).isNegative();
    // Ends with the first picture's EOI; its scan data is byte for byte the same.
    assertThat(Arrays.copyOfRange(stripped, stripped.length - 2, stripped.length))
        .containsExactly(0xff, 0xd9);
    byte[] scan = Arrays.copyOfRange(plain, sosIndex(plain), plain.length);
    assertThat(Arrays.copyOfRange(stripped, stripped.length - scan.length, stripped.length))
        .isEqualTo(scan);
    Metadata metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(stripped));
    assertThat(metadata.getFirstDirectoryOfType(GpsDirectory.class)).isNull();
  }

  /** Only a trailing picture: the copy must still be made, or its EXIF (GPS) would be served. */
  @Test
  void trailingDataAlone_countsAsRemoved() throws Exception {
    byte[] original = concat(plain, TestImages.withExif(plain, 3));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int removed = JpegSegments.copyWithoutMetadata(new ByteArrayInputStream(original), out, 1);

    assertThat(removed).isEqualTo(1);
    assertThat(out.toByteArray()).isEqualTo(plain);
    assertThat(
            JpegSegments.copyWithoutMetadata(
                new ByteArrayInputStream(plain), OutputStream.nullOutputStream(), 1))
        .isZero();
  }

  @Test
  void orientationOtherThanOne_keptAsTheOnlyExif() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    JpegSegments.copyWithoutMetadata(
        new ByteArrayInputStream(TestImages.withExif(plain, 8)), out, 8);

    Metadata metadata =
        ImageMetadataReader.readMetadata(new ByteArrayInputStream(out.toByteArray()));
    ExifIFD0Directory exif = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
    assertThat(exif.getInteger(ExifIFD0Directory.TAG_ORIENTATION)).isEqualTo(8);
    assertThat(exif.getTagCount()).isEqualTo(1);
    assertThat(metadata.getFirstDirectoryOfType(GpsDirectory.class)).isNull();
  }

  @Test
  void writesInBlocks_notAByteAtATime() throws Exception {
    // A 12 MP photo's copy went to an unbuffered file a byte per call: 2.8 s of 3.5 s in total.
    byte[] jpeg = TestImages.jpeg(ImageProcessorTest.noise(600, 400));
    AtomicInteger calls = new AtomicInteger();
    OutputStream counting =
        new OutputStream() {
          @Override
          public void write(int b) {
            calls.incrementAndGet();
          }

          @Override
          public void write(byte[] b, int off, int len) {
            calls.incrementAndGet();
          }
        };

    JpegSegments.copyWithoutMetadata(new ByteArrayInputStream(jpeg), counting, 1);

    assertThat(jpeg.length).isGreaterThan(100_000);
    assertThat(calls.get()).isLessThan(20);
  }

  @Test
  void truncatedOrNotJpeg_malformed() {
    for (byte[] broken :
        new byte[][] {
          Arrays.copyOf(plain, plain.length - 2), // no EOI
          Arrays.copyOf(plain, 30), // inside the header segments
          {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xd9}, // no image data
          "GIF89a".getBytes(StandardCharsets.US_ASCII)
        }) {
      assertThatThrownBy(
              () ->
                  JpegSegments.copyWithoutMetadata(
                      new ByteArrayInputStream(broken), OutputStream.nullOutputStream(), 1))
          .isInstanceOfSatisfying(
              ImageException.class,
              e -> assertThat(e.failure()).isEqualTo(ImageException.Failure.MALFORMED));
    }
  }

  private static byte[] segment(int marker, String payload) {
    byte[] data = payload.getBytes(StandardCharsets.ISO_8859_1);
    return ByteBuffer.allocate(4 + data.length)
        .put((byte) 0xff)
        .put((byte) marker)
        .putShort((short) (data.length + 2))
        .put(data)
        .array();
  }

  private static byte[] insertAfterSoi(byte[] jpeg, byte[] segments) {
    return concat(Arrays.copyOf(jpeg, 2), segments, Arrays.copyOfRange(jpeg, 2, jpeg.length));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }

  private static int sosIndex(byte[] jpeg) {
    for (int i = 0; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == 0xda) return i;
    }
    throw new IllegalArgumentException("no SOS");
  }

  private static int indexOf(byte[] data, byte[] part) {
    outer:
    for (int i = 0; i + part.length <= data.length; i++) {
      for (int j = 0; j < part.length; j++) if (data[i + j] != part[j]) continue outer;
      return i;
    }
    return -1;
  }
}
