package dev.parley.file.image;

import java.time.Duration;
import java.util.List;

/**
 * The {@code file.image} section of the configuration (keys in kebab case, e.g. {@code
 * file.image.max-pixels}); docs/design.md "Image processing" explains each choice.
 *
 * @param maxInputBytes larger originals are refused without being read further
 * @param maxPixels width × height above which an image is refused from its header, before any pixel
 *     is decoded (a decompression bomb: a few KB of PNG can claim 100,000 × 100,000)
 * @param thumbnailSizes the longest side of each thumbnail slot, ascending (JPEG); an image is
 *     never enlarged
 * @param thumbnailQuality JPEG quality of thumbnails, 0.1 to 1
 * @param previewMaxBytes upper bound of the inline preview carried in messages
 * @param stripOriginal also write a copy of a JPEG original without its metadata (lossless)
 * @param threads image work in parallel; 0: half the cores, at least 1
 * @param queue images waiting for a thread; beyond, a request is refused at once as busy
 * @param timeout the longest a caller waits for one image, queueing included
 * @param vipsthumbnail the {@code vipsthumbnail} executable (libvips-tools) used for HEIC/HEIF; a
 *     bare name is looked up on PATH; empty: HEIC/HEIF gets no thumbnails
 */
public record ImageConfig(
    long maxInputBytes,
    long maxPixels,
    List<Integer> thumbnailSizes,
    double thumbnailQuality,
    int previewMaxBytes,
    boolean stripOriginal,
    int threads,
    int queue,
    Duration timeout,
    String vipsthumbnail) {

  public ImageConfig {
    thumbnailSizes = List.copyOf(thumbnailSizes);
    if (maxInputBytes < 1) throw new IllegalArgumentException("max-input-bytes must be >= 1");
    if (maxPixels < 1) throw new IllegalArgumentException("max-pixels must be >= 1");
    if (thumbnailSizes.isEmpty()) throw new IllegalArgumentException("thumbnail-sizes is empty");
    for (int i = 0; i < thumbnailSizes.size(); i++) {
      int size = thumbnailSizes.get(i);
      if (size < 16 || size > 8192 || (i > 0 && size <= thumbnailSizes.get(i - 1))) {
        throw new IllegalArgumentException(
            "thumbnail-sizes must ascend, each 16..8192: " + thumbnailSizes);
      }
    }
    if (!(thumbnailQuality >= 0.1 && thumbnailQuality <= 1)) {
      throw new IllegalArgumentException("thumbnail-quality must be 0.1..1");
    }
    if (previewMaxBytes < InlinePreview.SMALLEST_USEFUL_BYTES) {
      throw new IllegalArgumentException(
          "preview-max-bytes must be >= " + InlinePreview.SMALLEST_USEFUL_BYTES);
    }
    if (threads < 0) throw new IllegalArgumentException("threads must be >= 0");
    if (queue < 0) throw new IllegalArgumentException("queue must be >= 0");
    if (timeout.toMillis() < 1) throw new IllegalArgumentException("timeout must be >= 1 ms");
  }

  /** The defaults, the same as in parley-defaults.yaml. */
  public static ImageConfig defaults() {
    return new ImageConfig(
        50L << 20,
        50_000_000L,
        List.of(320, 1280),
        0.8,
        600,
        true,
        0,
        16,
        Duration.ofSeconds(30),
        "vipsthumbnail");
  }

  /** {@link #threads}, with 0 resolved to half the cores (at least 1). */
  public int threadCount() {
    return threads > 0 ? threads : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  }

  /** The largest thumbnail slot. */
  int largestSize() {
    return thumbnailSizes.get(thumbnailSizes.size() - 1);
  }
}
