package dev.parley.file.store;

import java.net.URI;

/**
 * Where and how to reach an S3-compatible store.
 *
 * @param endpoint what the service talks to
 * @param publicEndpoint what presigned URLs name: an address the clients can reach
 * @param pathStyle {@code http://host/bucket/key} instead of {@code http://bucket.host/key} (MinIO,
 *     s3proxy and most self-hosted stores need it)
 * @param requireSse ask the store to encrypt every object (SSE-S3, AES256)
 */
public record S3Settings(
    URI endpoint,
    URI publicEndpoint,
    String region,
    String bucket,
    String accessKey,
    String secretKey,
    boolean pathStyle,
    boolean requireSse) {

  /**
   * The origin ({@code scheme://host[:port]}) of the presigned URLs clients get: what a browser
   * must be allowed to load pictures from and upload to (the web client's Content-Security-Policy).
   */
  public String publicOrigin() {
    return originOf(publicEndpoint, bucket, pathStyle);
  }

  /** The origin of URLs signed for {@code endpoint}: with virtual-host style, the bucket's host. */
  public static String originOf(URI endpoint, String bucket, boolean pathStyle) {
    String host = pathStyle ? endpoint.getHost() : bucket + "." + endpoint.getHost();
    return endpoint.getScheme()
        + "://"
        + host
        + (endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort());
  }

  @Override
  public String toString() {
    // Never the secret key: settings end up in log lines.
    return "S3Settings[endpoint="
        + endpoint
        + ", publicEndpoint="
        + publicEndpoint
        + ", region="
        + region
        + ", bucket="
        + bucket
        + ", pathStyle="
        + pathStyle
        + ", requireSse="
        + requireSse
        + "]";
  }
}
