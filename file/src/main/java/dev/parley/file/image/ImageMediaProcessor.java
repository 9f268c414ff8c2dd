package dev.parley.file.image;

import dev.parley.file.media.MediaBusyException;
import dev.parley.file.media.MediaProcessor;
import dev.parley.file.media.MediaRejectedException;
import dev.parley.file.media.MediaResult;
import dev.parley.file.media.MediaSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * The image processor as the upload core's {@link MediaProcessor}: maps {@link ImageResult} to
 * {@link MediaResult} and {@link ImageException} to the upload's outcomes (design.md 11.9):
 *
 * <ul>
 *   <li>a decompression bomb ({@code image_too_many_pixels}) or a broken image ({@code
 *       image_malformed}): the upload is refused;
 *   <li>{@code image_busy}: not decided, the client completes again later;
 *   <li>larger than {@code max-input-bytes}: stored without thumbnails, with a note (a large
 *       original is not an attack: the pixel limit is what protects the decoder);
 *   <li>{@code image_timed_out}: stored, marked FAILED (a slow machine must not cost users their
 *       upload).
 * </ul>
 */
public final class ImageMediaProcessor implements MediaProcessor, AutoCloseable {
  /** The note of an original above {@code max-input-bytes}. */
  public static final String TOO_LARGE_NOTE = "no thumbnail: image too large";

  private final ImageProcessor images;

  public ImageMediaProcessor(ImageProcessor images) {
    this.images = images;
  }

  /**
   * Starts the pool and looks for vipsthumbnail (logged).
   *
   * @param tempDir where originals are copied for decoding and stripped copies are written; created
   *     if missing
   */
  public static ImageMediaProcessor start(ImageConfig config, Path tempDir, Clock clock) {
    try {
      Files.createDirectories(tempDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LeftoverWorkFiles.sweep(tempDir, clock.instant());
    return new ImageMediaProcessor(ImageProcessor.start(config, tempDir, clock));
  }

  /** Every image type: those it cannot decode get the note "no thumbnail: unsupported format". */
  @Override
  public boolean handles(String mimeType) {
    return mimeType.startsWith("image/");
  }

  @Override
  public MediaResult process(MediaSource source) {
    ImageResult r;
    try (InputStream in = source.open().get()) {
      r = images.process(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ImageException e) {
      return switch (e.failure()) {
        case TOO_MANY_PIXELS, MALFORMED -> throw new MediaRejectedException(message(e));
        case BUSY -> throw new MediaBusyException(message(e), e.retryAfter());
        case TOO_LARGE -> MediaResult.none(TOO_LARGE_NOTE);
        case TIMED_OUT -> throw e;
      };
    }
    return new MediaResult(
        r.width(),
        r.height(),
        r.animated(),
        r.preview(),
        r.thumbnails().stream()
            .map(
                t ->
                    new MediaResult.Thumbnail(
                        Integer.toString(t.slot()), t.mimeType(), t.width(), t.height(), t.jpeg()))
            .toList(),
        r.strippedOriginal(),
        r.note());
  }

  private static String message(ImageException e) {
    return Objects.requireNonNullElse(e.getMessage(), e.failure().code());
  }

  @Override
  public void close() {
    images.close();
  }
}
