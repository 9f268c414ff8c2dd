package dev.parley.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * An image's dimensions as its header states them (no decoding). A server that fills in image
 * metadata itself ignores what the client sends; one that does not yet requires them, and its
 * verified file carries none when it has no image processor. {@code 0 x 0} for a format the JDK
 * cannot read (WebP, HEIC).
 */
record ImageSize(int width, int height) {
  static ImageSize read(Path file) {
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      if (in == null) return new ImageSize(0, 0);
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) return new ImageSize(0, 0);
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        return new ImageSize(reader.getWidth(0), reader.getHeight(0));
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      return new ImageSize(0, 0);
    }
  }
}
