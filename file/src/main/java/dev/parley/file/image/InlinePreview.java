package dev.parley.file.image;

import java.awt.image.BufferedImage;

/**
 * The inline preview carried in a message so a chat can show the picture's shape and colours before
 * anything is downloaded.
 *
 * <p>Format: a complete baseline JFIF JPEG (8-bit YCbCr, no metadata), at most {@link #MAX_SIDE} px
 * on its longest side with the image's aspect ratio and orientation, at most {@code
 * preview-max-bytes}. A client shows it with its ordinary image decoder (a browser: {@code
 * data:image/jpeg;base64,...}), stretched to the message's width × height and blurred. Chosen over
 * blurhash because every client already decodes JPEG and nothing needs to be specified or ported;
 * it costs a few hundred bytes instead of about 30.
 *
 * <p>Getting under the bound: per-image Huffman tables, then lower quality, then fewer pixels. The
 * fixed part of a JPEG (JFIF header, two quantization tables, Huffman tables) is 285 bytes with
 * per-image Huffman tables (631 with the standard ones), which is why the bound cannot go below
 * {@link #SMALLEST_USEFUL_BYTES}; 40 × 30 px of pure noise fits in 540.
 */
final class InlinePreview {
  static final int MAX_SIDE = 40;
  static final int SMALLEST_USEFUL_BYTES = 400;

  private static final int[] SIDES = {MAX_SIDE, 32, 24, 16};
  private static final double[] QUALITIES = {0.5, 0.35, 0.2};

  private InlinePreview() {}

  /**
   * @param oriented the image as displayed (any size; the smallest thumbnail is a good start)
   * @return the preview; empty when nothing fits in {@code maxBytes}
   */
  static byte[] make(BufferedImage oriented, int maxBytes) {
    for (int side : SIDES) {
      int[] size = Scaling.fit(oriented.getWidth(), oriented.getHeight(), side);
      BufferedImage small = Scaling.scale(oriented, size[0], size[1]);
      for (double quality : QUALITIES) {
        byte[] jpeg = JpegEncoder.encode(small, quality, true);
        if (jpeg.length <= maxBytes) return jpeg;
      }
    }
    return new byte[0];
  }
}
