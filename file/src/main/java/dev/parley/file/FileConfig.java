package dev.parley.file;

import dev.parley.file.image.ImageConfig;
import dev.parley.file.store.S3Settings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code file} section of the configuration; see parley-defaults.yaml for each key.
 *
 * @param maxSize the largest upload, in bytes, for types without an override
 * @param maxSizeByType overrides by full type ({@code image/gif}) or top-level type ({@code video})
 * @param allowedTypes accepted MIME types: exact ({@code application/pdf}), a prefix ending in
 *     {@code *} ({@code image/*}), or {@code *}{@code /*} for any
 * @param partSize multipart part size in bytes (at least 5 MiB, S3's minimum); smaller files are
 *     one PUT
 * @param uploadTtl an upload not completed within this time expires and is cleaned up
 * @param urlTtl the life of a presigned upload URL (never beyond the upload's expiry)
 * @param downloadUrlTtl the life of a presigned download URL
 * @param completionLease how long a completion may run before the janitor presumes its process dead
 *     and completes the upload again; longer than verifying the largest file takes
 * @param uploadRetention failed and expired uploads are forgotten this long after they ended
 * @param deleteGrace a blob that no message or avatar references (any more, or ever) is deleted
 *     this long after its last reference went, or after it was stored (design.md 11.5)
 * @param objectSweep the search for objects no row names (design.md 11.5)
 * @param image the image processor (thumbnails, preview, limits); design.md 11.9
 */
public record FileConfig(
    S3 s3,
    Embedded embedded,
    long maxSize,
    Map<String, Long> maxSizeByType,
    List<String> allowedTypes,
    long partSize,
    Duration uploadTtl,
    Duration urlTtl,
    Duration downloadUrlTtl,
    Duration completionLease,
    Duration janitorInterval,
    Duration uploadRetention,
    Duration deleteGrace,
    Sweep objectSweep,
    ImageConfig image) {

  /** S3's smallest part (all but the last). */
  public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

  public FileConfig {
    maxSizeByType = Map.copyOf(maxSizeByType);
    allowedTypes = List.copyOf(allowedTypes);
    if (partSize < MIN_PART_SIZE)
      throw new IllegalArgumentException("file.part-size must be at least 5 MiB (S3's minimum)");
    if (maxSize < 1) throw new IllegalArgumentException("file.max-size must be positive");
    if (deleteGrace.isNegative())
      throw new IllegalArgumentException("file.delete-grace must not be negative");
    Duration floor = uploadTtl.plus(completionLease).plus(deleteGrace);
    if (objectSweep.minAge().compareTo(floor) <= 0)
      throw new IllegalArgumentException(
          "file.object-sweep.min-age must be longer than upload-ttl + completion-lease +"
              + " delete-grace ("
              + floor
              + "): younger objects may still belong to an upload about to commit");
    if (objectSweep.batch() < 1 || objectSweep.batch() > 1000)
      throw new IllegalArgumentException("file.object-sweep.batch must be 1..1000");
  }

  /**
   * The object sweep: each janitor pass lists {@code batch} objects (S3 lists at most 1,000 at a
   * time) and deletes those older than {@code minAge} that no blob or upload in progress names.
   */
  public record Sweep(Duration minAge, int batch) {}

  /**
   * An external S3-compatible store; {@code endpoint} empty: the embedded one (single node).
   *
   * @param publicEndpoint what presigned URLs name; empty: {@code endpoint}
   */
  public record S3(
      String endpoint,
      String publicEndpoint,
      String region,
      String bucket,
      String accessKey,
      String secretKey,
      boolean pathStyle,
      boolean requireSse) {
    public boolean isEmbedded() {
      return endpoint.isBlank();
    }

    /**
     * The origin of the presigned URLs clients get, for an external store (the web client's CSP).
     */
    public String publicOrigin() {
      return S3Settings.originOf(
          URI.create(publicEndpoint.isBlank() ? endpoint : publicEndpoint), bucket, pathStyle);
    }

    @Override
    public String toString() {
      return "S3[endpoint=" + endpoint + ", bucket=" + bucket + "]";
    }
  }

  /**
   * The single node's embedded S3 server.
   *
   * @param dataDir under the node's data directory
   * @param publicEndpoint what presigned URLs name; empty: the embedded server's own address
   * @param corsOrigins browser origins that may upload and download (the web client's); {@code *}:
   *     any
   */
  public record Embedded(
      String host,
      int port,
      String dataDir,
      boolean encrypted,
      String publicEndpoint,
      List<String> corsOrigins) {}

  /** The largest accepted size for a (lower-case, valid) MIME type. */
  public long maxSizeFor(String mimeType) {
    Long exact = maxSizeByType.get(mimeType);
    if (exact != null) return exact;
    Long top = maxSizeByType.get(mimeType.substring(0, mimeType.indexOf('/')));
    return top != null ? top : maxSize;
  }

  /** Whether the (lower-case, valid) MIME type is on the allowed list. */
  public boolean allows(String mimeType) {
    for (String allowed : allowedTypes) {
      String a = allowed.trim().toLowerCase(Locale.ROOT);
      if (a.equals("*/*") || a.equals(mimeType)) return true;
      if (a.endsWith("*") && mimeType.startsWith(a.substring(0, a.length() - 1))) return true;
    }
    return false;
  }
}
