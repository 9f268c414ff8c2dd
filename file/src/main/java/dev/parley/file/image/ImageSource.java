package dev.parley.file.image;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * The bytes of an original, re-readable: each step (header, EXIF, structure, pixels) opens its own
 * stream. A file in production; bytes in memory for tests and fuzzing.
 */
sealed interface ImageSource {
  InputStream open() throws IOException;

  ImageInputStream openImageStream() throws IOException;

  record FileSource(Path path) implements ImageSource {
    @Override
    public InputStream open() throws IOException {
      return Files.newInputStream(path);
    }

    @Override
    public ImageInputStream openImageStream() throws IOException {
      return new FileImageInputStream(path.toFile());
    }
  }

  /** Holds the caller's array as is: callers do not change it afterwards. */
  @SuppressWarnings("ArrayRecordComponent") // never compared, never exposed
  record BytesSource(byte[] bytes) implements ImageSource {
    @Override
    public InputStream open() {
      return new ByteArrayInputStream(bytes);
    }

    @Override
    public ImageInputStream openImageStream() {
      return new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes));
    }
  }
}
