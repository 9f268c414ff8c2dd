package dev.parley.file.image;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Turns a decoded first frame into the thumbnail slots and the inline preview.
 *
 * <p>Slots: for each configured size S, ascending, the image scaled to fit S × S; once a slot holds
 * the whole image (its longest side ≤ S), larger slots are left out: a 300 px picture has one
 * thumbnail, at 300 px, in the smallest slot. So every decodable image has a metadata-free JPEG in
 * the smallest slot, and a client asking for a larger slot that is absent uses the largest present.
 *
 * <p>Work goes from the largest slot down, each scaled from the previous one (cheaper than from the
 * original, and still at least as large as its target), and the orientation is applied after
 * scaling, on the fewest pixels.
 */
final class Thumbnailer {
  /**
   * @param slots the made thumbnails, smallest first
   * @param smallest the smallest one's pixels, as displayed, for the preview
   */
  record Made(List<Thumbnail> slots, BufferedImage smallest) {}

  private final List<Integer> sizes;
  private final double quality;

  Thumbnailer(List<Integer> sizes, double quality) {
    this.sizes = List.copyOf(sizes);
    this.quality = quality;
  }

  Made make(BufferedImage decoded, ImageHeader header, AbortSignal abort) {
    int dw = header.displayWidth();
    int dh = header.displayHeight();
    List<Integer> slots = new ArrayList<>();
    for (int size : sizes) {
      slots.add(size);
      if (Math.max(dw, dh) <= size) break;
    }
    List<Thumbnail> made = new ArrayList<>();
    BufferedImage current = decoded;
    BufferedImage oriented = decoded;
    for (int i = slots.size() - 1; i >= 0; i--) {
      abort.throwIfAborted();
      int slot = slots.get(i);
      int[] display = Scaling.fit(dw, dh, slot);
      int storedWidth = header.quarterTurned() ? display[1] : display[0];
      int storedHeight = header.quarterTurned() ? display[0] : display[1];
      current = Scaling.scale(current, storedWidth, storedHeight);
      oriented = Orientations.apply(current, header.orientation());
      made.add(
          new Thumbnail(
              slot,
              oriented.getWidth(),
              oriented.getHeight(),
              JpegEncoder.encode(oriented, quality, false)));
    }
    Collections.reverse(made);
    return new Made(List.copyOf(made), oriented);
  }
}
