package dev.parley.file.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Makes thumbnails, an inline preview and the displayed dimensions of a verified original, and
 * optionally a copy without metadata; called by upload completion.
 *
 * <p>Order of work, cheapest refusal first: size limit (before reading) → format from the first
 * bytes → header: dimensions, pixel limit, orientation, animation (before decoding) → JPEG
 * structure, truncation, metadata-free copy → first frame decoded, subsampled → thumbnail slots →
 * preview. All but the size check run on the bounded {@link ImagePool} under its time limit.
 *
 * <p>Outcomes: an {@link ImageResult} (with {@link ImageResult#UNSUPPORTED} as its note and no
 * thumbnails when the format is none we decode), or an {@link ImageException} with a stable failure
 * code. Nothing else escapes for what is in a file.
 */
public final class ImageProcessor implements AutoCloseable {
  private final ImageConfig config;
  private final ImagePool pool;
  private final Thumbnailer thumbnailer;
  private final Optional<VipsThumbnailer> vips;
  private final Path tempDir;
  private final Clock clock;

  private ImageProcessor(
      ImageConfig config, Optional<VipsThumbnailer> vips, Path tempDir, Clock clock) {
    this.config = config;
    this.vips = vips;
    this.tempDir = tempDir;
    this.clock = clock;
    this.pool = new ImagePool(config.threadCount(), config.queue(), config.timeout());
    this.thumbnailer = new Thumbnailer(config.thumbnailSizes(), config.thumbnailQuality());
  }

  /**
   * Starts the pool and looks for vipsthumbnail (logged either way).
   *
   * @param tempDir where stripped originals and work files go (the caller's data directory)
   */
  public static ImageProcessor start(ImageConfig config, Path tempDir, Clock clock) {
    return new ImageProcessor(
        config, VipsThumbnailer.detect(config.vipsthumbnail(), config.timeout()), tempDir, clock);
  }

  /** Whether HEIC/HEIF originals get thumbnails (vipsthumbnail was found at start). */
  public boolean decodesHeif() {
    return vips.isPresent();
  }

  /**
   * @throws ImageException for a refused, broken or slow image, or when busy
   * @throws UncheckedIOException when the file cannot be read
   */
  public ImageResult process(Path original) {
    long size;
    try {
      size = Files.size(original);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (size > config.maxInputBytes()) throw tooLarge();
    return pool.run(abort -> processOnPool(original, abort));
  }

  /** Copies the stream to a temporary file (at most {@code max-input-bytes}), then as above. */
  public ImageResult process(InputStream original) {
    Path copy = null;
    try {
      copy = Files.createTempFile(tempDir, "parley-image-", ".bin");
      try (OutputStream out = Files.newOutputStream(copy)) {
        byte[] buffer = new byte[65536];
        long total = 0;
        int n;
        while ((n = original.read(buffer)) != -1) {
          total += n;
          if (total > config.maxInputBytes()) throw tooLarge();
          out.write(buffer, 0, n);
        }
      }
      return process(copy);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (copy != null) deleteQuietly(copy);
    }
  }

  private ImageResult processOnPool(Path file, AbortSignal abort) {
    Instant start = clock.instant();
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(ImageFormat.SNIFF_BYTES);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ImageFormat format = ImageFormat.sniff(head);
    if (format == null) return ImageResult.unsupported("", 0, 0, took(start));
    if (format == ImageFormat.HEIF) {
      return vips.isPresent()
          ? heif(vips.get(), file, abort, start)
          : ImageResult.unsupported(format.mimeType(), 0, 0, took(start));
    }
    ImageSource source = new ImageSource.FileSource(file);
    ImageHeader header = HeaderReader.read(source, format, head, config.maxPixels());
    abort.throwIfAborted();
    Path stripped =
        switch (format) {
          case JPEG, PNG -> checkAndStrip(file, format, header.orientation());
          default -> null;
        };
    try {
      BufferedImage decoded = FirstFrameDecoder.decode(source, header, config.largestSize(), abort);
      ImageResult result = result(header, decoded, stripped, abort, start);
      abort.throwIfAborted(); // nobody waits for the result: the stripped copy goes
      return result;
    } catch (RuntimeException | Error e) {
      if (stripped != null) deleteQuietly(stripped);
      throw e;
    }
  }

  private ImageResult heif(VipsThumbnailer vips, Path file, AbortSignal abort, Instant start) {
    VipsThumbnailer.Decoded decoded;
    try {
      decoded = vips.decode(file, config.largestSize(), config.maxPixels(), tempDir, abort);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ImageHeader upright =
        new ImageHeader(ImageFormat.HEIF, decoded.width(), decoded.height(), 1, false);
    return result(upright, decoded.image(), null, abort, start);
  }

  private ImageResult result(
      ImageHeader header,
      BufferedImage decoded,
      @Nullable Path stripped,
      AbortSignal abort,
      Instant start) {
    Thumbnailer.Made made = thumbnailer.make(decoded, header, abort);
    byte[] preview = InlinePreview.make(made.smallest(), config.previewMaxBytes());
    return new ImageResult(
        header.format().mimeType(),
        header.displayWidth(),
        header.displayHeight(),
        header.animated(),
        made.slots(),
        preview,
        stripped,
        "",
        took(start));
  }

  /**
   * Walks the JPEG segments or PNG chunks: throws when the file is truncated; with {@code
   * strip-original}, returns a copy without metadata (null when there was none to remove).
   */
  private @Nullable Path checkAndStrip(Path file, ImageFormat format, int orientation) {
    Path copy = null;
    try (InputStream in = Files.newInputStream(file)) {
      if (!config.stripOriginal()) {
        copyWithoutMetadata(format, in, OutputStream.nullOutputStream(), orientation);
        return null;
      }
      copy =
          Files.createTempFile(
              tempDir, "parley-stripped-", "." + format.name().toLowerCase(Locale.ROOT));
      int removed;
      try (OutputStream out = Files.newOutputStream(copy)) {
        removed = copyWithoutMetadata(format, in, out, orientation);
      }
      if (removed > 0) return copy;
      deleteQuietly(copy);
      return null;
    } catch (IOException | RuntimeException e) {
      if (copy != null) deleteQuietly(copy);
      if (e instanceof IOException io) throw new UncheckedIOException(io);
      throw (RuntimeException) e;
    }
  }

  private static int copyWithoutMetadata(
      ImageFormat format, InputStream in, OutputStream out, int orientation) throws IOException {
    return format == ImageFormat.JPEG
        ? JpegSegments.copyWithoutMetadata(in, out, orientation)
        : PngChunks.copyWithoutMetadata(in, out);
  }

  private Duration took(Instant start) {
    return Duration.between(start, clock.instant());
  }

  private ImageException tooLarge() {
    return new ImageException(
        ImageException.Failure.TOO_LARGE, "larger than " + config.maxInputBytes() + " bytes");
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a temporary file left behind: harmless, and nothing refers to it
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
