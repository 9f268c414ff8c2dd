package dev.parley.file.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class PngChunksTest {
  private final byte[] plain =
      TestImages.encode(TestImages.halves(64, 48, Color.RED, Color.BLUE), "png");

  @Test
  void removesTextExifAndTime_keepsTheRestByteForByte() throws Exception {
    byte[] metadata =
        concat(
            chunk("tEXt", "Location\0Paris"),
            chunk("eXIf", "MM\0*\0\0\0\u0008\0\0"),
            chunk("iTXt", "XML:com.adobe.xmp\0\0\0\0\0<x/>"),
            chunk("zTXt", "Comment\0\0xyz"),
            chunk("tIME", "\u0007\u00ea\u000c\u0006\u0004\u0000\u0000"));
    byte[] iccLike = chunk("sRGB", "\0");
    byte[] original =
        concat(
            insertAfterIhdr(plain, concat(iccLike, metadata)),
            "trailing".getBytes(StandardCharsets.US_ASCII));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int removed = PngChunks.copyWithoutMetadata(new ByteArrayInputStream(original), out);

    assertThat(removed).isEqualTo(6); // five chunks and what followed IEND
    assertThat(out.toByteArray()).isEqualTo(insertAfterIhdr(plain, iccLike));
  }

  /** Only data after IEND: the copy must still be made, or that data would be served. */
  @Test
  void trailingDataAlone_countsAsRemoved() throws Exception {
    byte[] original = concat(plain, "GPS 48.85N 2.35E".getBytes(StandardCharsets.US_ASCII));

    ByteArrayOutputStream out = new ByteArrayOutputStream();

    assertThat(PngChunks.copyWithoutMetadata(new ByteArrayInputStream(original), out)).isEqualTo(1);
    assertThat(out.toByteArray()).isEqualTo(plain);
  }

  @Test
  void truncatedOrNotPng_malformed() {
    for (byte[] broken :
        new byte[][] {
          Arrays.copyOf(plain, plain.length - 12), // no IEND
          Arrays.copyOf(plain, 20),
          "GIF89a".getBytes(StandardCharsets.US_ASCII)
        }) {
      assertThatThrownBy(
              () ->
                  PngChunks.copyWithoutMetadata(
                      new ByteArrayInputStream(broken), OutputStream.nullOutputStream()))
          .isInstanceOfSatisfying(
              ImageException.class,
              e -> assertThat(e.failure()).isEqualTo(ImageException.Failure.MALFORMED));
    }
  }

  static byte[] chunk(String type, String data) {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    byte[] d = data.getBytes(StandardCharsets.ISO_8859_1);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(d);
    return ByteBuffer.allocate(12 + d.length)
        .putInt(d.length)
        .put(t)
        .put(d)
        .putInt((int) crc.getValue())
        .array();
  }

  /** After the signature (8 bytes) and IHDR (25 bytes). */
  static byte[] insertAfterIhdr(byte[] png, byte[] chunks) {
    return concat(Arrays.copyOf(png, 33), chunks, Arrays.copyOfRange(png, 33, png.length));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }
}
