package dev.parley.file.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** The origin of presigned URLs, which the web client's Content-Security-Policy must name. */
class S3SettingsTest {
  @Test
  void pathStyleUrlsAreOnTheEndpointsOrigin() {
    assertThat(S3Settings.originOf(URI.create("http://127.0.0.1:41283"), "parley", true))
        .isEqualTo("http://127.0.0.1:41283");
    assertThat(S3Settings.originOf(URI.create("https://files.example.com/base/"), "parley", true))
        .isEqualTo("https://files.example.com");
  }

  @Test
  void virtualHostStyleUrlsAreOnTheBucketsHost() {
    assertThat(
            S3Settings.originOf(
                URI.create("https://s3.eu-central-1.amazonaws.com"), "parley", false))
        .isEqualTo("https://parley.s3.eu-central-1.amazonaws.com");
  }

  @Test
  void thePublicEndpointIsWhatCounts() {
    S3Settings s =
        new S3Settings(
            URI.create("http://minio:9000"),
            URI.create("https://files.example.com:8443"),
            "us-east-1",
            "parley",
            "id",
            "secret",
            true,
            false);
    assertThat(s.publicOrigin()).isEqualTo("https://files.example.com:8443");
  }
}
